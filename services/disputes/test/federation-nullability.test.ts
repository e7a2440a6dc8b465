import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';

/**
 * The fields this subgraph adds to other subgraphs' entities are nullable: when the disputes subgraph
 * is down, the gateway nulls these fields, not the catchment, provider, client or SSM that carries
 * them (and not their parents in turn).
 */
describe('Disputes subgraph: fields added to other entities', () => {
  const sdl = (file: string) => parse(readFileSync(join(__dirname, '..', file), 'utf8'));
  const entities = sdl('src/common/federation.graphql').definitions.filter(
    (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION,
  );
  const added = entities.flatMap((type) =>
    (type.fields ?? [])
      .filter((field) => field.name.value !== 'id')
      .map((field) => [`${type.name.value}.${field.name.value}`, field.type.kind] as const),
  );

  it('are all nullable', () => {
    expect(added.map(([name]) => name).sort()).toEqual([
      'CatchmentArea.disputeProcess',
      'CatchmentArea.disputeSummary',
      'Client.disputes',
      'ServiceProvider.disputes',
      'ServiceSystemManager.disputeSlaPolicy',
    ]);
    expect(added.filter(([, kind]) => kind === Kind.NON_NULL_TYPE)).toEqual([]);
  });

  it('are nullable in the composed supergraph too', () => {
    const supergraph = readFileSync(join(__dirname, '../../../gateway/supergraph.graphql'), 'utf8');
    for (const [name] of added) {
      const field = name.split('.')[1]!;
      const declared = new RegExp(`^\\s+${field}(\\([^)]*\\))?: (\\S+)`, 'm').exec(
        supergraph.slice(supergraph.search(new RegExp(`type ${name.split('.')[0]}\\b`))),
      );
      expect([name, declared?.[2]?.endsWith('!')]).toEqual([name, false]);
    }
  });
});
