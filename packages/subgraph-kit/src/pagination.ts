import type { Model, ProjectionType } from 'mongoose';
import { badUserInput } from './errors';

export interface PageArgs {
  first: number;
  /** Decoded cursor: the sort key of the last item of the previous page. */
  after: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /**
   * Counted only when a caller selects it: `findPageById` defines it as a getter whose value (a
   * promise GraphQL awaits) runs the count, so a page without `totalCount` costs no count.
   */
  totalCount: number;
}

export const MAX_PAGE_SIZE = 100;
const CURSOR_PREFIX = 'c1:';

const encodeCursor = (key: string) => Buffer.from(`${CURSOR_PREFIX}${key}`).toString('base64url');

/** Validates `first`/`after`; a bad value is a BAD_USER_INPUT error, never a silent default. */
export function parsePageArgs(
  args: { first?: number | null; after?: string | null },
  defaultSize = 20,
): PageArgs {
  const first = args.first ?? defaultSize;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  }
  if (args.after === undefined || args.after === null) return { first, after: null };
  const decoded = Buffer.from(args.after, 'base64url').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX) || decoded.length === CURSOR_PREFIX.length) {
    throw badUserInput('after is not a cursor this API issued', 'after');
  }
  return { first, after: decoded.slice(CURSOR_PREFIX.length) };
}

/**
 * Shapes a page fetched with `limit(first + 1)` (sorted by `key`) into a connection: the extra item
 * only tells whether a next page exists.
 */
export function connectionFrom<T>(
  items: T[],
  page: PageArgs,
  totalCount: number,
  key: (item: T) => string,
): Connection<T> {
  const nodes = items.slice(0, page.first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(key(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: items.length > page.first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}

/**
 * ANDs MongoDB filter conditions, dropping empty ones (`{}` when nothing is left). Conditions on
 * different fields are merged into one top-level object, `$and` is kept only for a field named
 * twice: FerretDB pushes down (and so indexes) top-level equality only, never inside `$and`.
 */
export const allOf = (conditions: Record<string, unknown>[]): Record<string, unknown> => {
  const merged: Record<string, unknown> = {};
  const clashing: Record<string, unknown>[] = [];
  for (const condition of conditions) {
    for (const [field, value] of Object.entries(condition)) {
      if (field in merged || field === '$and') clashing.push({ [field]: value });
      else merged[field] = value;
    }
  }
  return clashing.length === 0 ? merged : { ...merged, $and: clashing };
};

/**
 * One page of a collection in `_id` order, as a connection: the documents matching every condition
 * (the caller's scope among them), after the cursor, plus one to tell whether another page exists,
 * and the total count of matches.
 */
export async function findPageById<T extends { _id: string }>(
  model: Model<T>,
  conditions: Record<string, unknown>[],
  page: PageArgs,
  projection?: ProjectionType<T>,
): Promise<Connection<T>> {
  const where = allOf(conditions);
  const pageWhere = page.after ? allOf([...conditions, { _id: { $gt: page.after } }]) : where;
  const items = await model
    .find(pageWhere, projection)
    .sort({ _id: 1 })
    .limit(page.first + 1)
    .lean<T[]>();
  let counted: Promise<number> | undefined;
  const connection = connectionFrom(items, page, 0, (item) => item._id);
  Object.defineProperty(connection, 'totalCount', {
    enumerable: true,
    get: () => (counted ??= model.countDocuments(where).exec()),
  });
  return connection;
}
