import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_EVENT_SUBJECTS, PARTNER_EVENT_TYPES, subjectTypenameOf, unknownEventTypes } from '../src';

/** The types and subjects of docs/events.md's "Event types" table (a row may name two types). */
function documentedTypes(): Map<string, { subject: string; published: boolean }> {
  const doc = readFileSync(join(__dirname, '../../../docs/events.md'), 'utf8');
  const table = doc.slice(doc.indexOf('## Event types'), doc.indexOf('## Consuming'));
  const rows = new Map<string, { subject: string; published: boolean }>();
  for (const line of table.split('\n').filter((l) => l.startsWith('| `'))) {
    const [types, , subject, when] = line
      .split('|')
      .slice(1)
      .map((cell) => cell.trim());
    for (const [, type] of types!.matchAll(/`(\w+)`/g))
      rows.set(type!, { subject: subject!.replace(/`/g, ''), published: !when!.includes('not published') });
  }
  return rows;
}

describe('the catalogue of event types', () => {
  it('holds exactly the published types docs/events.md lists, with the same subjects', () => {
    const documented = documentedTypes();
    expect(documented.size).toBeGreaterThan(30);
    const published = Object.fromEntries(
      [...documented].filter(([, row]) => row.published).map(([type, row]) => [type, row.subject]),
    );
    expect(PLATFORM_EVENT_SUBJECTS).toEqual(published);
    expect(documented.get('DisputeImported')).toEqual({ subject: 'Dispute', published: false });
  });

  it('includes every partner event type', () => {
    expect(unknownEventTypes(PARTNER_EVENT_TYPES)).toEqual([]);
  });

  it('names what it does not know, a few at most, shortened', () => {
    expect(unknownEventTypes(['ContractCreated', 'ContractCreatd', 'DisputeImported'])).toEqual([
      'ContractCreatd',
      'DisputeImported',
    ]);
    expect(unknownEventTypes(Array.from({ length: 20 }, (_, i) => `Nope${i}`))).toHaveLength(10);
    expect(unknownEventTypes(['X'.repeat(500)])).toEqual(['X'.repeat(64)]);
    // Not a prototype's property either.
    expect(unknownEventTypes(['constructor', 'toString', '__proto__'])).toHaveLength(3);
    expect(subjectTypenameOf('constructor')).toBeNull();
    expect(subjectTypenameOf('AgreementAmended')).toBe('ProviderAgreement');
  });
});
