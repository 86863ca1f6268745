import type { Page } from '../services/query-service.js';

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A service page as a Relay-style connection: each edge carries the cursor after it. */
export function toConnection<T, N = T>(
  page: Page<T>,
  node: (item: T) => N = (item) => item as unknown as N,
): Connection<N> {
  const last = page.items.length - 1;
  // A service that gives only the page's end cursor still yields a usable last edge.
  const cursorAt = (i: number) => page.cursors?.[i] ?? (i === last ? (page.nextCursor ?? '') : '');
  return {
    edges: page.items.map((item, i) => ({ cursor: cursorAt(i), node: node(item) })),
    pageInfo: {
      hasNextPage: page.nextCursor !== null,
      endCursor: page.nextCursor ?? (last >= 0 ? cursorAt(last) || null : null),
    },
  };
}
