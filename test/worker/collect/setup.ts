import { afterEach } from 'vitest';
import { FakeKubeApi, type FakeKubeApiOptions } from '../../support/fake-kube-api/fake-kube-api.js';
import { fakeKubeConfig } from '../../support/fake-kube-api/fake-kubeconfig.js';
import { namespace } from '../../support/fake-kube-api/objects.js';
import type { CollectOptions } from '../../../worker/collect/collect-options.js';

const started: FakeKubeApi[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});

/** A fake apiserver with one namespace, closed after the test. */
export async function startFake(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const fake = await FakeKubeApi.start(options);
  started.push(fake);
  fake.setObjects('namespaces', [namespace('default')]);
  return fake;
}

/** Short waits so retry tests run in milliseconds; timeouts well above a local round trip. */
export function fastOptions(fake: FakeKubeApi, overrides: Partial<CollectOptions> = {}): CollectOptions {
  return {
    kubeConfig: fakeKubeConfig(fake),
    retry: { attempts: 4, initialDelayMs: 5, maxDelayMs: 50 },
    requestTimeoutMs: 2_000,
    ...overrides,
  };
}
