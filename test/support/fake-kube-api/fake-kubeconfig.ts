import { KubeConfig } from '@kubernetes/client-node';
import { FAKE_CA_PEM, type FakeKubeApi } from './fake-kube-api.js';

/**
 * A kubeconfig for the fake, as a user's would look: cluster, user with a bearer token, and a
 * context joining them. Plain HTTP needs skipTLSVerify (client-node refuses http otherwise).
 */
export function fakeKubeConfig(fake: FakeKubeApi, options: { token?: string; cluster?: string } = {}): KubeConfig {
  const cluster = options.cluster ?? 'fake';
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      fake.tls
        ? { name: cluster, server: fake.url, caData: Buffer.from(FAKE_CA_PEM).toString('base64'), skipTLSVerify: false }
        : { name: cluster, server: fake.url, skipTLSVerify: true },
    ],
    users: [{ name: 'collector', token: options.token ?? fake.token }],
    contexts: [{ name: `${cluster}-context`, cluster, user: 'collector' }],
    currentContext: `${cluster}-context`,
  });
  return kubeConfig;
}
