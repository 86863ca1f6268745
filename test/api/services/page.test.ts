import { describe, expect, test } from 'vitest';
import { decodeCursor, encodeCursor, pageInMemory, pageLimit } from '../../../api/services/page.js';

describe('pages', () => {
  test('limit: 100 by default, 1 to 1000', () => {
    expect(pageLimit(undefined)).toBe(100);
    expect(pageLimit({ limit: 1000 })).toBe(1000);
    for (const limit of [0, 1001, 2.5, Number.NaN]) expect(() => pageLimit({ limit })).toThrow(/limit must be/);
  });

  test('cursors are opaque, tied to their list, and checked', () => {
    const cursor = encodeCursor('workloads', ['db/postgres[StatefulSet]']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('workloads', cursor, 1)).toEqual(['db/postgres[StatefulSet]']);
    expect(() => decodeCursor('policies', cursor, 2)).toThrow(/invalid cursor for policies/);
    expect(() => decodeCursor('workloads', '!!!', 1)).toThrow(/invalid cursor/);
    expect(decodeCursor('workloads', null, 1)).toBeNull();
  });

  test('a crafted cursor holding what no list writes (huge or fractional numbers, NUL) is refused', () => {
    const crafted = (json: string) => Buffer.from(json).toString('base64url');
    expect(decodeCursor('snapshots', crafted('["snapshots",2147483647]'), 1)).toEqual([2147483647]);
    for (const json of ['["snapshots",1e308]', '["snapshots",1.5]', '["snapshots",-1]', '["snapshots",2147483648]']) {
      expect(() => decodeCursor('snapshots', crafted(json), 1)).toThrow(/invalid cursor for snapshots/);
    }
    expect(() => decodeCursor('clusters', crafted('["clusters","a\\u0000b"]'), 1)).toThrow(/invalid cursor/);
  });

  test('in-memory pages follow the sort key, whatever the input order', () => {
    const items = ['d', 'a', 'c', 'b', 'e'];
    const first = pageInMemory('letters', items, { limit: 2 }, 1, (x) => [x]);
    expect(first.items).toEqual(['a', 'b']);
    const second = pageInMemory('letters', items, { limit: 2, cursor: first.nextCursor }, 1, (x) => [x]);
    expect(second.items).toEqual(['c', 'd']);
    // A page keeps its place when an item before the cursor appears meanwhile.
    const third = pageInMemory('letters', ['0', ...items], { limit: 2, cursor: second.nextCursor }, 1, (x) => [x]);
    expect(third).toMatchObject({ items: ['e'], nextCursor: null });
  });
});
