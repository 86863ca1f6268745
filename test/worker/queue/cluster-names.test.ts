import { describe, expect, test } from 'vitest';
import type { ClusterRow } from '../../../store/clusters.repository.js';
import { ClusterNames } from '../../../worker/queue/cluster-names.js';

describe('ClusterNames', () => {
  test('names a cluster by its registered name and id, asking the store once', async () => {
    const asked: number[] = [];
    const names = new ClusterNames({
      findById: async (id) => {
        asked.push(id);
        return id === 3 ? ({ id: 3, name: 'shop' } as ClusterRow) : undefined;
      },
    });
    expect(await names.label(3)).toBe('cluster shop (id 3)');
    expect(await names.label(3)).toBe('cluster shop (id 3)');
    expect(asked).toEqual([3]);
    expect(await names.label(9)).toBe('cluster id 9');
  });

  test('a name remembered from the job is used when the store is down', async () => {
    const names = new ClusterNames({ findById: () => Promise.reject(new Error('connection refused')) });
    expect(await names.label(4)).toBe('cluster id 4');
    names.remember(4, 'prod');
    expect(await names.label(4)).toBe('cluster prod (id 4)');
  });
});
