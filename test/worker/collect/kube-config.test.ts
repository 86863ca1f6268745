import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { stringify } from 'yaml';
import { collectCluster } from '../../../worker/collect/kube-collector.js';
import { KubeConfigError, loadKubeConfig } from '../../../config/kube-config.js';
import { FAKE_CA_PEM, type FakeKubeApi } from '../../support/fake-kube-api/fake-kube-api.js';
import { MemorySink } from './memory-sink.js';
import { fastOptions, startFake } from './setup.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

/** A kubeconfig file with the fake's context and a second one pointing nowhere, current. */
function writeKubeconfig(fake: FakeKubeApi): string {
  const dir = mkdtempSync(join(tmpdir(), 'reachlog-kubeconfig-'));
  const file = join(dir, 'config');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'staging', cluster: { server: fake.url, 'insecure-skip-tls-verify': true } },
        { name: 'nowhere', cluster: { server: 'https://192.0.2.1:6443' } },
      ],
      users: [{ name: 'auditor', user: { token: fake.token } }],
      contexts: [
        { name: 'staging-ctx', context: { cluster: 'staging', user: 'auditor' } },
        { name: 'nowhere-ctx', context: { cluster: 'nowhere', user: 'auditor' } },
      ],
      'current-context': 'nowhere-ctx',
    }),
  );
  return file;
}

describe('loadKubeConfig', () => {
  test('a named context from a file is used instead of the current one', async () => {
    const fake = await startFake();
    const kubeConfig = loadKubeConfig({ from: 'file', path: writeKubeconfig(fake), context: 'staging-ctx' });

    const summary = await collectCluster(fastOptions(fake, { kubeConfig }), new MemorySink());

    expect(summary.cluster).toBe('staging');
    expect(summary.counts.Namespace).toBe(1);
  });

  test('the default kubeconfig comes from $KUBECONFIG', async () => {
    const fake = await startFake();
    vi.stubEnv('KUBECONFIG', writeKubeconfig(fake));

    const kubeConfig = loadKubeConfig({ from: 'default', context: 'staging-ctx' });

    expect(kubeConfig.getCurrentCluster()?.server).toBe(fake.url);
  });

  test('an unknown context is a KubeConfigError naming the contexts there are', async () => {
    const fake = await startFake();

    expect(() => loadKubeConfig({ from: 'file', path: writeKubeconfig(fake), context: 'prod' })).toThrow(
      new KubeConfigError('kubeconfig has no context "prod" (contexts: "staging-ctx", "nowhere-ctx")'),
    );
  });

  test('in-cluster: the service account token and CA, and the service host and port from the environment', async () => {
    const fake = await startFake({ tls: true, token: 'service-account-jwt' });
    const root = mkdtempSync(join(tmpdir(), 'reachlog-in-cluster-'));
    const mount = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(mount, { recursive: true });
    writeFileSync(join(mount, 'token'), 'service-account-jwt');
    writeFileSync(join(mount, 'ca.crt'), FAKE_CA_PEM);
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '127.0.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', new URL(fake.url).port);

    const kubeConfig = loadKubeConfig({ from: 'in-cluster', pathPrefix: root });
    const summary = await collectCluster(fastOptions(fake, { kubeConfig, cluster: 'prod-eu' }), new MemorySink());

    expect(summary.counts.Namespace).toBe(1);
    expect(fake.requests.every((r) => r.authorization === 'Bearer service-account-jwt')).toBe(true);
  });

  test('no kubeconfig at all is a KubeConfigError, not a made-up cluster at localhost:8080', () => {
    vi.stubEnv('KUBECONFIG', '');
    vi.stubEnv('HOME', mkdtempSync(join(tmpdir(), 'reachlog-no-kube-')));
    expect(() => loadKubeConfig({ from: 'default' })).toThrow(
      new KubeConfigError('no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not running in a pod'),
    );
    vi.stubEnv('KUBECONFIG', join(tmpdir(), 'reachlog-missing-kubeconfig'));
    expect(() => loadKubeConfig({ from: 'default' })).toThrow(/^no kubeconfig at .*reachlog-missing-kubeconfig$/);
  });

  test('in-cluster outside a pod is a KubeConfigError, not a request to https://undefined', () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '');

    expect(() => loadKubeConfig({ from: 'in-cluster' })).toThrow(KubeConfigError);
  });
});
