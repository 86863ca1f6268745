import { describe, expect, test } from 'vitest';
import { LruCache } from '../../../api/services/lru-cache.js';

describe('LruCache', () => {
  test('the least recently used entries make room, by count', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c')]).toEqual([1, 3]);
  });

  test('by weight: as many of the oldest go as the new entry needs; one heavier than all is not kept', () => {
    const cache = new LruCache<string, string>(10, (s) => s.length);
    cache.set('a', 'xxxx');
    cache.set('b', 'xxxx');
    cache.set('c', 'xx');
    expect(cache.weight).toBe(10);
    cache.set('d', 'xxxxxx');
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([
      undefined,
      undefined,
      'xx',
      'xxxxxx',
    ]);
    expect(cache.weight).toBe(8);
    cache.set('huge', 'x'.repeat(11));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.weight).toBe(8);
  });

  test('replacing an entry replaces its weight; a capacity of 0 keeps nothing', () => {
    const cache = new LruCache<string, string>(10, (s) => s.length);
    cache.set('a', 'xxxxxxxx');
    cache.set('a', 'x');
    expect(cache.weight).toBe(1);
    const none = new LruCache<string, number>(0);
    none.set('a', 1);
    expect(none.get('a')).toBeUndefined();
  });
});
