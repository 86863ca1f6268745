import { describe, expect, test } from 'vitest';
import { FreshCache } from '../../../api/services/fresh-cache.js';

describe('FreshCache', () => {
  test('a value is served for its time to live, then loaded again', async () => {
    let now = 0;
    let loads = 0;
    const cache = new FreshCache<string, number>(1000, () => now);
    const load = () => Promise.resolve(++loads);
    expect(await cache.getOrLoad('latest', load)).toBe(1);
    now = 999;
    expect(await cache.getOrLoad('latest', load)).toBe(1);
    now = 1000;
    expect(await cache.getOrLoad('latest', load)).toBe(2);
    expect(await cache.getOrLoad('other', load)).toBe(3);
  });

  test('concurrent readers share one load', async () => {
    let loads = 0;
    const cache = new FreshCache<string, number>(1000, () => 0);
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return 7;
    };
    expect(await Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load)])).toEqual([7, 7]);
    expect(loads).toBe(1);
  });

  test('a failed load is not kept: the next reader tries again', async () => {
    const cache = new FreshCache<string, number>(1000, () => 0);
    await expect(cache.getOrLoad('k', () => Promise.reject(new Error('database down')))).rejects.toThrow(
      'database down',
    );
    expect(await cache.getOrLoad('k', () => Promise.resolve(1))).toBe(1);
  });

  test('a time to live of 0 loads every time', async () => {
    let loads = 0;
    const cache = new FreshCache<string, number>(0, () => 5);
    await cache.getOrLoad('k', () => Promise.resolve(++loads));
    await cache.getOrLoad('k', () => Promise.resolve(++loads));
    expect(loads).toBe(2);
  });
});
