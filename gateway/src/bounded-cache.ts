import type { DocumentNode, Token } from 'graphql';
import { BoundedCache } from '@ies/bounded-cache';

/*
 * Heap per unit, measured on Node 20 with graphql 16 (heap retained by 200 documents of each shape,
 * after a full GC; gateway/test/bounded-cache.test.ts repeats the measurement): every token of a parsed
 * document (comments included) stays reachable through `loc` at about 90 bytes; AST nodes take about
 * 3× their JSON; the source text stays too. The factors below are rounded up so the estimate is 1.2–1.5×
 * what is measured. Apollo's default stores weigh an entry by its JSON alone, which misses the tokens:
 * a 10 KB document of comment lines weighs 41 bytes there and holds 450 KB.
 */
const BYTES_PER_TOKEN = 110;
const AST_BYTES_PER_JSON_BYTE = 4;
const SOURCE_BYTES_PER_CHAR = 2;
/** A query plan holds about 2.6× its JSON (measured the same way on the supergraph). */
const PLAN_BYTES_PER_JSON_BYTE = 3;

/** What a parsed document holds in memory: its tokens, its AST nodes and its source text. */
export function documentBytes(document: DocumentNode): number {
  let tokens = 0;
  for (let token: Token | null | undefined = document.loc?.startToken; token; token = token.next) tokens++;
  return (
    tokens * BYTES_PER_TOKEN +
    Buffer.byteLength(JSON.stringify(document)) * AST_BYTES_PER_JSON_BYTE +
    (document.loc?.source.body.length ?? 0) * SOURCE_BYTES_PER_CHAR
  );
}

/** What a query plan holds in memory. */
export const queryPlanBytes = (plan: unknown): number =>
  Buffer.byteLength(JSON.stringify(plan) ?? '') * PLAN_BYTES_PER_JSON_BYTE;

const MIB = 1024 * 1024;

/** The gateway's parsed-and-validated document store, within `mib` of heap. */
export const documentCache = (mib: number) =>
  new BoundedCache<DocumentNode>({ maxBytes: mib * MIB, sizeOf: documentBytes });

/** The gateway's query-plan store, within `mib` of heap. */
export const queryPlanCache = <P>(mib: number) =>
  new BoundedCache<P>({ maxBytes: mib * MIB, sizeOf: queryPlanBytes });
