import { isRowId } from '../../arguments/row-id.js';
import { ServiceError, type Page, type PageArgs } from './query-service.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** The page size asked for: 100 by default, 1 to 1000. */
export function pageLimit(args: PageArgs | undefined): number {
  const limit = args?.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new ServiceError('BAD_USER_INPUT', `limit must be an integer from 1 to ${MAX_LIMIT} (got ${limit})`);
  }
  return limit;
}

/**
 * Cursors are the last item's sort key, tagged with the list they belong to, as base64url JSON.
 * Opaque to clients; a key is what makes a page stable when rows are added meanwhile.
 */
export function encodeCursor(list: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

/**
 * A key part this service could have written: a string without NUL (names never hold one,
 * Postgres text cannot) or a row id. A crafted cursor (`1e308`, `1.5`, `"\u0000"`) never reaches a query.
 */
function isKeyPart(v: unknown): v is string | number {
  return (typeof v === 'string' && !v.includes('\u0000')) || isRowId(v);
}

/** The key in a cursor of `list`, with `arity` strings or row ids; null when there is none. */
export function decodeCursor(
  list: string,
  cursor: string | null | undefined,
  arity: number,
): (string | number)[] | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== list ||
    parsed.length !== arity + 1 ||
    !parsed.slice(1).every(isKeyPart)
  ) {
    throw new ServiceError('BAD_USER_INPUT', `invalid cursor for ${list}: pass back a cursor this list returned`);
  }
  return parsed.slice(1) as (string | number)[];
}

/** A page from rows fetched with `limit + 1` (the extra one says whether there is more). */
export function pageOf<T>(
  list: string,
  rows: readonly T[],
  limit: number,
  keyOf: (item: T) => (string | number)[],
): Page<T> {
  const items = rows.slice(0, limit);
  const cursors = items.map((item) => encodeCursor(list, keyOf(item)));
  return { items, nextCursor: rows.length > limit ? cursors[cursors.length - 1]! : null, cursors };
}

/** Compares sort keys element by element; in-memory lists are sorted and cut with it alike. */
export function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/** A page of an in-memory list: sorts it by `keyOf` (keys of `arity` parts) and takes the items after the cursor. */
export function pageInMemory<T>(
  list: string,
  items: readonly T[],
  args: PageArgs | undefined,
  arity: number,
  keyOf: (item: T) => (string | number)[],
): Page<T> {
  const limit = pageLimit(args);
  const after = decodeCursor(list, args?.cursor, arity);
  const sorted = [...items].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const start = after === null ? 0 : sorted.findIndex((item) => compareKeys(keyOf(item), after) > 0);
  const rows = start === -1 ? [] : sorted.slice(start, start + limit + 1);
  return pageOf(list, rows, limit, keyOf);
}
