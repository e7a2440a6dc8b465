import { connectionFrom, type Connection, type PageArgs } from '@ies/subgraph-kit';

/**
 * A page of an entity's list already loaded whole by a batched loader (a provider's or a client's
 * disputes: small sets), in `_id` order, with the same cursors as `findPageById`.
 */
export function pageOf<T extends { _id: string }>(items: readonly T[], page: PageArgs): Connection<T> {
  const sorted = [...items].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  const after = page.after;
  const rest = after === null ? sorted : sorted.filter((item) => item._id > after);
  return connectionFrom(rest.slice(0, page.first + 1), page, sorted.length, (item) => item._id);
}
