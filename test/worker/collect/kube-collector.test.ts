import { describe, expect, test } from 'vitest';
import { collectCluster } from '../../../worker/collect/kube-collector.js';
import { fakeKubeConfig } from '../../support/fake-kube-api/fake-kubeconfig.js';
import {
  adminNetworkPolicy,
  baselineAdminNetworkPolicy,
  clusterNetworkPolicy,
  kubeNode,
  namespace,
  networkPolicy,
  pods,
  service,
} from '../../support/fake-kube-api/objects.js';
import type { FakeKubeApi } from '../../support/fake-kube-api/fake-kube-api.js';
import { MemorySink } from './memory-sink.js';
import { fastOptions, startFake } from './setup.js';

const ADMIN_PATHS = /\/apis\/policy\.networking\.k8s\.io\//;

function withCoreObjects(fake: FakeKubeApi): void {
  fake.setObjects('namespaces', [namespace('default'), namespace('shop')]);
  fake.setObjects('pods', pods(1200, 'shop'));
  fake.setObjects('services', [service('shop', 'web'), service('shop', 'api')]);
  fake.setObjects('networkpolicies', [networkPolicy('shop', 'default-deny')]);
}

function installAdminPolicies(fake: FakeKubeApi): void {
  for (const crd of ['adminnetworkpolicies', 'baselineadminnetworkpolicies', 'clusternetworkpolicies'] as const) {
    fake.setInstalled(crd, true);
  }
  fake.setObjects('adminnetworkpolicies', [adminNetworkPolicy('deny-a', 10), adminNetworkPolicy('deny-b', 20)]);
  fake.setObjects('baselineadminnetworkpolicies', [baselineAdminNetworkPolicy()]);
  fake.setObjects('clusternetworkpolicies', [clusterNetworkPolicy('tenant-isolation', 'Admin')]);
}

describe('collectCluster', () => {
  test('without the admin policy CRDs: the four core kinds, counted; the CRDs absent and never requested', async () => {
    const fake = await startFake();
    withCoreObjects(fake);
    const sink = new MemorySink();

    const summary = await collectCluster(fastOptions(fake), sink);

    expect(summary.cluster).toBe('fake');
    expect(summary.counts).toEqual({ Namespace: 2, Pod: 1200, ReplicaSet: 0, Job: 0, Service: 2, NetworkPolicy: 1 });
    expect(summary.absent.map((r) => r.plural)).toEqual([
      'adminnetworkpolicies',
      'baselineadminnetworkpolicies',
      'clusternetworkpolicies',
    ]);
    expect(fake.requests.filter((r) => ADMIN_PATHS.test(r.path))).toEqual([]);
    expect(sink.objects('networkpolicies')[0]!.body).toMatchObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
    });
    expect(sink.objects('services')[0]!.source).toEqual({ file: 'kube:fake/services', doc: 1 });
  });

  test('with the CRDs installed: AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy too', async () => {
    const fake = await startFake();
    withCoreObjects(fake);
    installAdminPolicies(fake);
    const sink = new MemorySink();

    const summary = await collectCluster(fastOptions(fake), sink);

    expect(summary.counts).toMatchObject({
      AdminNetworkPolicy: 2,
      BaselineAdminNetworkPolicy: 1,
      ClusterNetworkPolicy: 1,
    });
    expect(summary.absent).toEqual([]);
    expect(sink.objects('adminnetworkpolicies')[1]!.body).toMatchObject({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: 'deny-b' },
    });
    expect(sink.objects('clusternetworkpolicies')[0]!.body).toMatchObject({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
    });
    expect(sink.objects('clusternetworkpolicies')[0]!.source.file).toBe('kube:fake/clusternetworkpolicies');
  });

  test('a served group version without one of its resources (ANP installed, BANP not) lists what exists', async () => {
    const fake = await startFake();
    fake.setInstalled('adminnetworkpolicies', true);
    fake.setObjects('adminnetworkpolicies', [adminNetworkPolicy('deny-a', 10)]);
    const sink = new MemorySink();

    const summary = await collectCluster(fastOptions(fake), sink);

    expect(summary.counts.AdminNetworkPolicy).toBe(1);
    expect(summary.counts).not.toHaveProperty('BaselineAdminNetworkPolicy');
    expect(summary.absent.map((r) => r.plural)).toEqual(['baselineadminnetworkpolicies', 'clusternetworkpolicies']);
    // v1alpha2 was not in discovery, so ClusterNetworkPolicy was not even asked for.
    expect(fake.requests.map((r) => r.path)).not.toContain(
      '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies',
    );
  });

  test('a core resource the server does not serve is an error, not an absence', async () => {
    const fake = await startFake();
    fake.setInstalled('networkpolicies', false);

    await expect(collectCluster(fastOptions(fake), new MemorySink())).rejects.toMatchObject({
      failure: 'not-found',
      status: 404,
      resource: 'networkpolicies',
    });
  });

  test('bad credentials fail at discovery, before any listing', async () => {
    const fake = await startFake();
    withCoreObjects(fake);
    const kubeConfig = fakeKubeConfig(fake, { token: 'expired-token' });

    await expect(collectCluster(fastOptions(fake, { kubeConfig }), new MemorySink())).rejects.toMatchObject({
      failure: 'unauthorized',
      resource: 'discovery',
    });
    expect(fake.requests.map((r) => r.target)).toEqual(['discovery']);
  });

  test('discovery is retried like any other request', async () => {
    const fake = await startFake();
    fake.inject('discovery', { fail: { status: 503, times: 2 } });

    const summary = await collectCluster(fastOptions(fake), new MemorySink());

    expect(summary.counts.Namespace).toBe(1);
    expect(fake.requestsFor('discovery').map((r) => r.status)).toEqual([503, 503, 200]);
  });

  test('an optional resource whose CRD vanishes mid-list is discarded and reported absent', async () => {
    const fake = await startFake();
    fake.setInstalled('adminnetworkpolicies', true);
    fake.setObjects('adminnetworkpolicies', [
      adminNetworkPolicy('a', 1),
      adminNetworkPolicy('b', 2),
      adminNetworkPolicy('c', 3),
    ]);
    fake.onRequest = (request) => {
      if (request.target === 'adminnetworkpolicies' && request.continue)
        fake.setInstalled('adminnetworkpolicies', false);
    };
    const sink = new MemorySink();

    const summary = await collectCluster(fastOptions(fake, { pageSize: 2 }), sink);

    expect(sink.pages.filter((p) => p.resource.plural === 'adminnetworkpolicies')).toHaveLength(1);
    expect(sink.discarded).toEqual(['adminnetworkpolicies']);
    expect(sink.objects('adminnetworkpolicies')).toEqual([]);
    expect(summary.absent.map((r) => r.plural)).toContain('adminnetworkpolicies');
  });

  test('over TLS, trusting the cluster CA from the kubeconfig', async () => {
    const fake = await startFake({ tls: true });
    withCoreObjects(fake);

    const summary = await collectCluster(fastOptions(fake), new MemorySink());

    expect(fake.url).toMatch(/^https:/);
    expect(summary.counts.Pod).toBe(1200);
  });

  test('an untrusted server certificate is a tls error, not retried', async () => {
    const fake = await startFake({ tls: true });
    const kubeConfig = fakeKubeConfig(fake);
    kubeConfig.clusters = [{ name: 'fake', server: fake.url, skipTLSVerify: false }];

    await expect(collectCluster(fastOptions(fake, { kubeConfig }), new MemorySink())).rejects.toMatchObject({
      failure: 'tls',
      attempts: 1,
      resource: 'discovery',
    });
  });
});

describe('Nodes, for admin policies’ nodes peers', () => {
  test('listed where the cluster has admin policies, never requested where it has none', async () => {
    const bare = await startFake();
    withCoreObjects(bare);
    bare.setObjects('nodes', [kubeNode('node-1', { role: 'worker' }, '192.168.0.11')]);
    const none = await collectCluster(fastOptions(bare), new MemorySink());
    expect(none.counts).not.toHaveProperty('Node');
    expect(bare.requests.map((r) => r.path)).not.toContain('/api/v1/nodes');

    const fake = await startFake();
    withCoreObjects(fake);
    installAdminPolicies(fake);
    fake.setObjects('nodes', [kubeNode('node-1', { role: 'worker' }, '192.168.0.11')]);
    const sink = new MemorySink();
    const summary = await collectCluster(fastOptions(fake), sink);
    expect(summary.counts.Node).toBe(1);
    expect(sink.objects('nodes')[0]!.body).toMatchObject({ kind: 'Node', metadata: { name: 'node-1' } });
  });

  test('a collector without RBAC for nodes (403) records it and goes on; the snapshot says so', async () => {
    const fake = await startFake();
    withCoreObjects(fake);
    installAdminPolicies(fake);
    fake.inject('nodes', { fail: { status: 403, times: 1 } });
    const sink = new MemorySink();
    const summary = await collectCluster(fastOptions(fake), sink);
    expect(summary.counts).not.toHaveProperty('Node');
    expect(summary.counts.AdminNetworkPolicy).toBe(2);
    expect(summary.forbidden.map((e) => [e.resource, e.status])).toEqual([['nodes', 403]]);
  });
});
