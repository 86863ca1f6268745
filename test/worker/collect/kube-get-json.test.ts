import { describe, expect, test } from 'vitest';
import { sessionFrom } from '../../../worker/collect/collect-options.js';
import { KubeApiError } from '../../../worker/collect/kube-api-error.js';
import { getJson } from '../../../worker/collect/kube-get-json.js';
import { fakeKubeConfig } from '../../support/fake-kube-api/fake-kubeconfig.js';
import { pods } from '../../support/fake-kube-api/objects.js';
import { fastOptions, startFake } from './setup.js';

const PODS_PATH = '/api/v1/pods?limit=500';

async function rejection(promise: Promise<unknown>): Promise<KubeApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KubeApiError);
  return error as KubeApiError;
}

describe('getJson retries what may recover', () => {
  test('500 three times, then the answer: four requests, growing waits between them', async () => {
    const fake = await startFake();
    fake.setObjects('pods', pods(3));
    fake.inject('pods', { fail: { status: 500, times: 3 } });
    const session = sessionFrom(fastOptions(fake, { retry: { attempts: 4, initialDelayMs: 20, maxDelayMs: 1_000 } }));

    const started = performance.now();
    const list = await getJson(session, 'pods', PODS_PATH);

    expect((list.items as unknown[]).length).toBe(3);
    expect(fake.requestsFor('pods').map((r) => r.status)).toEqual([500, 500, 500, 200]);
    // Equal jitter waits at least half of 20, 40 and 80 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
  });

  test('500 for longer than the policy allows: a typed error with the status and the attempts made', async () => {
    const fake = await startFake();
    fake.inject('pods', { fail: { status: 500, times: 10 } });

    const error = await rejection(getJson(sessionFrom(fastOptions(fake)), 'pods', PODS_PATH));

    expect(error).toMatchObject({
      failure: 'unavailable',
      status: 500,
      attempts: 4,
      cluster: 'fake',
      resource: 'pods',
    });
    expect(error.message).toContain('kube:fake/pods: HTTP 500');
    expect(fake.requestsFor('pods')).toHaveLength(4);
  });

  test('429 waits for Retry-After before asking again', async () => {
    const fake = await startFake();
    fake.inject('pods', { fail: { status: 429, times: 1, retryAfterSeconds: 1 } });
    const session = sessionFrom(fastOptions(fake, { retry: { attempts: 3, initialDelayMs: 5, maxDelayMs: 5_000 } }));

    const started = performance.now();
    await getJson(session, 'pods', PODS_PATH);

    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(fake.requestsFor('pods').map((r) => r.status)).toEqual([429, 200]);
  });

  test('a dropped connection is retried', async () => {
    const fake = await startFake();
    fake.inject('pods', { reset: 2 });

    await getJson(sessionFrom(fastOptions(fake)), 'pods', PODS_PATH);

    expect(fake.requestsFor('pods')).toHaveLength(3);
  });
});

describe('getJson timeouts', () => {
  test('a response slower than the request timeout is abandoned and asked again', async () => {
    const fake = await startFake();
    fake.inject('pods', { delay: { ms: 1_000, times: 1 } });
    const session = sessionFrom(fastOptions(fake, { requestTimeoutMs: 150 }));

    const started = performance.now();
    await getJson(session, 'pods', PODS_PATH);

    expect(fake.requestsFor('pods')).toHaveLength(2);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1_000);
  });

  test('the timeout covers the body too: a connection stalled mid-body is abandoned', async () => {
    const fake = await startFake();
    fake.setObjects('pods', pods(50));
    fake.inject('pods', { delay: { ms: 1_000, times: 1, midBody: true } });

    const list = await getJson(sessionFrom(fastOptions(fake, { requestTimeoutMs: 150 })), 'pods', PODS_PATH);

    expect((list.items as unknown[]).length).toBe(50);
    expect(fake.requestsFor('pods')).toHaveLength(2);
  });

  test('always too slow: a typed timeout error after the last attempt', async () => {
    const fake = await startFake();
    fake.inject('pods', { delay: { ms: 1_000, times: 10 } });
    const session = sessionFrom(fastOptions(fake, { requestTimeoutMs: 50, retry: { attempts: 2 } }));

    const error = await rejection(getJson(session, 'pods', PODS_PATH));

    expect(error).toMatchObject({ failure: 'timeout', attempts: 2, status: undefined });
    expect(error.message).toContain('kube:fake/pods: timeout: no complete response within 50 ms');
  });

  test("the caller's abort stops at once, without retrying", async () => {
    const fake = await startFake();
    fake.inject('pods', { delay: { ms: 1_000, times: 10 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('snapshot cancelled')), 50);

    const failure = getJson(sessionFrom(fastOptions(fake, { signal: controller.signal })), 'pods', PODS_PATH);

    await expect(failure).rejects.toThrow('snapshot cancelled');
    expect(fake.requestsFor('pods')).toHaveLength(1);
  });
});

describe('getJson refusals are not retried', () => {
  test('401 gives a typed error naming cluster, resource and status, and never the token', async () => {
    const fake = await startFake({ token: 'the-real-token-s3cr3t' });
    const kubeConfig = fakeKubeConfig(fake, { token: 'wrong-token-t0p-s3cr3t', cluster: 'prod-eu' });

    const error = await rejection(getJson(sessionFrom(fastOptions(fake, { kubeConfig })), 'pods', PODS_PATH));

    expect(error).toMatchObject({
      failure: 'unauthorized',
      status: 401,
      cluster: 'prod-eu',
      resource: 'pods',
      attempts: 1,
    });
    expect(error.message).toBe('kube:prod-eu/pods: HTTP 401 Unauthorized: Unauthorized (Unauthorized)');
    const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    expect(everything).not.toContain('wrong-token-t0p-s3cr3t');
    expect(everything).not.toContain('the-real-token-s3cr3t');
    expect(fake.requestsFor('pods')).toHaveLength(1);
  });

  test.each([
    [403, 'forbidden'],
    [404, 'not-found'],
    [400, 'rejected'],
  ])('%i is %s after one request', async (status, failure) => {
    const fake = await startFake();
    fake.inject('pods', { fail: { status, times: 10 } });

    const error = await rejection(getJson(sessionFrom(fastOptions(fake)), 'pods', PODS_PATH));

    expect(error).toMatchObject({ failure, status, attempts: 1 });
    expect(fake.requestsFor('pods')).toHaveLength(1);
  });

  test('a 500 followed by a 403 reports the 403 and both attempts', async () => {
    const fake = await startFake();
    fake.inject('pods', { fail: { status: 500, times: 1 } });
    fake.onRequest = (request) => {
      if (fake.requestsFor('pods').length === 2 && request.target === 'pods')
        fake.inject('pods', { fail: { status: 403, times: 1 } });
    };

    const error = await rejection(getJson(sessionFrom(fastOptions(fake)), 'pods', PODS_PATH));

    expect(error).toMatchObject({ failure: 'forbidden', status: 403, attempts: 2 });
  });
});
