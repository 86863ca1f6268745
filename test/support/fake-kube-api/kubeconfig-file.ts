import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_CA_PEM, type FakeKubeApi } from './fake-kube-api.js';

export interface FakeContext {
  /** The kubeconfig context name, as `reachlog cluster add --context` takes it. */
  name: string;
  /** The bearer token this context sends; the fake's own by default. */
  token?: string;
}

export interface KubeconfigFile {
  /** For KUBECONFIG: a worker in another process reads the fake's address and token from it. */
  path: string;
  remove(): void;
}

/**
 * Writes a kubeconfig (JSON, which is YAML) with one context per entry, all pointing at the
 * fake, each with its own user and token. Plain HTTP needs insecure-skip-tls-verify, as with
 * fakeKubeConfig.
 */
export function writeKubeconfig(fake: FakeKubeApi, contexts: readonly FakeContext[]): KubeconfigFile {
  const dir = mkdtempSync(join(tmpdir(), 'reachlog-kubeconfig-'));
  const path = join(dir, 'config');
  const cluster = fake.tls
    ? { server: fake.url, 'certificate-authority-data': Buffer.from(FAKE_CA_PEM).toString('base64') }
    : { server: fake.url, 'insecure-skip-tls-verify': true };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake', cluster }],
    users: contexts.map((c) => ({ name: `${c.name}-user`, user: { token: c.token ?? fake.token } })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: 'fake', user: `${c.name}-user` } })),
    'current-context': contexts[0]?.name ?? '',
  };
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
