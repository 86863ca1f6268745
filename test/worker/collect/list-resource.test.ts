import { describe, expect, test } from 'vitest';
import { buildCluster, InputError } from '../../../engine/index.js';
import { sessionFrom } from '../../../worker/collect/collect-options.js';
import { KubeApiError } from '../../../worker/collect/kube-api-error.js';
import { CORE_RESOURCES, type KubeResource } from '../../../worker/collect/kube-resources.js';
import { listResource } from '../../../worker/collect/list-resource.js';
import { pod, pods } from '../../support/fake-kube-api/objects.js';
import { MemorySink } from './memory-sink.js';
import { fastOptions, startFake } from './setup.js';

const PODS = CORE_RESOURCES.find((r) => r.plural === 'pods') as KubeResource;

describe('listResource pagination', () => {
  test('1200 pods with limit 500 arrive in pages of 500, 500, 200, each once and in order', async () => {
    const fake = await startFake();
    fake.setObjects('pods', pods(1200));
    const sink = new MemorySink();

    const listed = await listResource(sessionFrom(fastOptions(fake)), PODS, sink);

    expect(sink.pages.map((p) => p.objects.length)).toEqual([500, 500, 200]);
    expect(sink.names('pods')).toEqual(pods(1200).map((p) => (p.metadata as { name: string }).name));
    expect(listed).toMatchObject({ objects: 1200, errors: 0, pages: 3, restarts: 0 });
    const requests = fake.requestsFor('pods');
    expect(requests.map((r) => r.limit)).toEqual([500, 500, 500]);
    expect(requests[0]!.continue).toBeUndefined();
    expect(requests[1]!.continue).toBeTruthy();
    expect(requests[2]!.continue).not.toEqual(requests[1]!.continue);
    // Large pages came gzipped, as from a real apiserver: the collector decompressed them.
    expect(requests.some((r) => r.gzip)).toBe(true);
  });

  test('the page size is configurable and sources count documents across pages', async () => {
    const fake = await startFake();
    fake.setObjects('pods', pods(5));
    const sink = new MemorySink();

    await listResource(sessionFrom(fastOptions(fake, { pageSize: 2 })), PODS, sink);

    expect(sink.pages.map((p) => p.objects.length)).toEqual([2, 2, 1]);
    expect(sink.objects('pods').map((o) => o.source)).toEqual(
      [1, 2, 3, 4, 5].map((doc) => ({ file: 'kube:fake/pods', doc })),
    );
  });

  test('items get kind and apiVersion from the list, which the apiserver leaves off built-in items', async () => {
    const fake = await startFake();
    fake.setObjects('pods', [pod('shop', 'web')]);
    const sink = new MemorySink();

    await listResource(sessionFrom(fastOptions(fake)), PODS, sink);

    expect(fake.requestsFor('pods')).toHaveLength(1);
    const [web] = sink.objects('pods');
    expect(web!.body).toEqual(pod('shop', 'web'));
    expect(Object.keys(web!.body).slice(0, 2)).toEqual(['apiVersion', 'kind']);
  });
});

describe('listResource after 410 Gone', () => {
  test('an expired continue token restarts the list from the first page; the sink discards the partial list', async () => {
    const fake = await startFake();
    fake.setObjects('pods', pods(1200));
    fake.inject('pods', { expireContinue: 1 });
    const sink = new MemorySink();

    const listed = await listResource(sessionFrom(fastOptions(fake)), PODS, sink);

    expect(sink.discarded).toEqual(['pods']);
    expect(sink.names('pods')).toHaveLength(1200);
    expect(new Set(sink.names('pods')).size).toBe(1200);
    expect(listed.restarts).toBe(1);
    const requests = fake.requestsFor('pods');
    expect(requests.map((r) => r.status)).toEqual([200, 410, 200, 200, 200]);
    // The restart is a fresh list, not the inconsistent continuation the 410 offers.
    expect(requests[2]!.continue).toBeUndefined();
  });

  test('after compaction the snapshot holds only the new state, never a mix of old and new pages', async () => {
    const fake = await startFake();
    fake.setObjects('pods', pods(800, 'old'));
    let changed = false;
    fake.onRequest = (request) => {
      if (request.target === 'pods' && request.continue && !changed) {
        changed = true;
        fake.setObjects('pods', pods(700, 'new'));
        fake.compact();
      }
    };
    const sink = new MemorySink();

    await listResource(sessionFrom(fastOptions(fake)), PODS, sink);

    const namespaces = new Set(sink.objects('pods').map((o) => (o.body.metadata as { namespace: string }).namespace));
    expect(namespaces).toEqual(new Set(['new']));
    expect(sink.objects('pods')).toHaveLength(700);
    expect(sink.objects('pods').at(-1)!.source.doc).toBe(700);
  });

  test('a list that keeps expiring fails after maxListRestarts with a typed 410 error', async () => {
    const fake = await startFake();
    fake.setObjects('pods', pods(30));
    fake.inject('pods', { expireContinue: 100 });
    const sink = new MemorySink();

    const failure = listResource(sessionFrom(fastOptions(fake, { pageSize: 10, maxListRestarts: 2 })), PODS, sink);

    await expect(failure).rejects.toMatchObject({ failure: 'expired', status: 410, resource: 'pods', cluster: 'fake' });
    await expect(failure).rejects.toBeInstanceOf(KubeApiError);
    expect(sink.discarded).toEqual(['pods', 'pods']);
  });
});

describe('listResource with malformed items', () => {
  test('malformed objects pass through unchanged for the engine to name; non-objects become InputErrors', async () => {
    const fake = await startFake();
    const badSpec = { metadata: { name: 'bad', namespace: 'shop' }, spec: { containers: 'not-a-list' } };
    const noMetadata = { spec: { containers: [] } };
    fake.setObjects('pods', [pod('shop', 'good'), badSpec, 'just a string', noMetadata]);
    const sink = new MemorySink();

    const listed = await listResource(sessionFrom(fastOptions(fake)), PODS, sink);

    const bodies = sink.objects('pods').map((o) => o.body);
    expect(bodies[1]).toEqual({ apiVersion: 'v1', kind: 'Pod', ...badSpec });
    expect(bodies[2]).toEqual({ apiVersion: 'v1', kind: 'Pod', ...noMetadata });
    expect(sink.objects('pods').map((o) => o.source.doc)).toEqual([1, 2, 4]);
    const [notAnObject] = sink.pages[0]!.errors;
    expect(notAnObject).toBeInstanceOf(InputError);
    expect(notAnObject!.source).toEqual({ file: 'kube:fake/pods', doc: 3 });
    expect(listed).toMatchObject({ objects: 3, errors: 1 });

    // The engine, not the collector, rejects the bad pod, naming where it came from.
    const cluster = buildCluster(sink.objects('pods'));
    expect(cluster.errors.map((e) => e.source)).toContainEqual({ file: 'kube:fake/pods', doc: 2 });
  });
});
