import { expect, test } from 'vitest';
import { collectCluster } from '../../../worker/collect/kube-collector.js';
import { REQUIRED_RBAC } from '../../../worker/collect/required-rbac.js';
import { adminNetworkPolicy } from '../../support/fake-kube-api/objects.js';
import { MemorySink } from './memory-sink.js';
import { fastOptions, startFake } from './setup.js';

/** `/api/v1/pods` → `/pods`; `/apis/networking.k8s.io/v1/networkpolicies` → `networking.k8s.io/networkpolicies`. */
function groupAndResource(path: string): string {
  const core = /^\/api\/v1\/([a-z]+)$/.exec(path);
  if (core) return `/${core[1]}`;
  const named = /^\/apis\/([^/]+)\/[^/]+\/([a-z]+)$/.exec(path);
  if (!named) throw new Error(`not a list path: ${path}`);
  return `${named[1]}/${named[2]}`;
}

test('REQUIRED_RBAC grants list on exactly the resources the collector lists, CRDs and Nodes included', async () => {
  const fake = await startFake();
  for (const crd of ['adminnetworkpolicies', 'baselineadminnetworkpolicies', 'clusternetworkpolicies'] as const) {
    fake.setInstalled(crd, true);
  }
  // Nodes are listed where there are admin policies.
  fake.setObjects('adminnetworkpolicies', [adminNetworkPolicy('deny-a', 10)]);

  await collectCluster(fastOptions(fake), new MemorySink());

  const listed = new Set(fake.requests.filter((r) => r.target !== 'discovery').map((r) => groupAndResource(r.path)));
  const granted = new Set(
    REQUIRED_RBAC.filter((p) => p.verbs.includes('list')).map((p) => `${p.apiGroup}/${p.resource}`),
  );
  expect(listed).toEqual(granted);
});

test('REQUIRED_RBAC is read-only', () => {
  for (const permission of REQUIRED_RBAC) expect([...permission.verbs].sort()).toEqual(['get', 'list', 'watch']);
});
