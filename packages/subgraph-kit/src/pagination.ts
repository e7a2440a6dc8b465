import { badUserInput } from './errors';

export interface PageArgs {
  first: number;
  /** Decoded cursor: the sort key of the last item of the previous page. */
  after: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
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
