import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  buildCluster,
  computeReachability,
  diffReachability,
  explain,
  exposureCounts,
  formatReachability,
  fromMatrixDoc,
  netChanges,
  parseManifestText,
  toMatrixDoc,
  type Reachability,
} from '../../../engine/index.js';

/**
 * Pods of one workload that differ (per-pod labels, a rollout's old and new pods)
 * are allowed or denied to each other like any two workloads' pods: the workload is listed as
 * reaching itself, in every answer alike (analyze, --focus, --explain, stored results, diffs).
 */

const FIXTURE = new URL('../../fixtures/self-connections/input/data.yaml', import.meta.url);
const DB = 'data/db[StatefulSet]';
const CACHE = 'data/cache[StatefulSet]';
const API = 'data/api[Deployment]';

function load(text: string): Reachability {
  const parsed = parseManifestText(text, 'data.yaml');
  expect(parsed.errors).toEqual([]);
  const cluster = buildCluster(parsed.objects);
  expect(cluster.errors.map((e) => e.message)).toEqual([]);
  return computeReachability(cluster);
}

const fixture = readFileSync(FIXTURE, 'utf8');
const selfPairs = (reach: Reachability) =>
  [...reach.connections()].filter((c) => c.src === c.dst).map((c) => `${c.src}: ${c.allowed}`);

describe('a StatefulSet whose leader receives from its followers only', () => {
  const reach = load(fixture);

  test('analyze lists the StatefulSet reaching itself on the leader port, once', () => {
    expect(selfPairs(reach)).toEqual([`${DB}: TCP 5432`]);
    expect(reach.allowed(DB, DB).toString()).toBe('TCP 5432');
  });

  test('a StatefulSet whose pods are all closed to each other is not listed reaching itself', () => {
    expect(reach.allowed(CACHE, CACHE).isEmpty()).toBe(true);
    expect([...reach.connections()].some((c) => c.src === CACHE && c.dst === CACHE)).toBe(false);
  });

  test('pods of one class are one peer: a uniform Deployment is not listed reaching itself', () => {
    expect(reach.allowed(API, API).isEmpty()).toBe(true);
    expect(selfPairs(reach)).not.toContain(expect.stringContaining(API));
  });

  test('--focus lists the self pair once, like analyze', () => {
    const focused = [...formatReachability(reach, 'txt', { focus: DB })].join('');
    expect(focused.split('\n').filter((l) => l.startsWith(`${DB} => ${DB} `))).toEqual([`${DB} => ${DB} : TCP 5432`]);
    const involving = reach.connectionsInvolving(DB).filter((c) => c.src === DB && c.dst === DB);
    expect(involving.map((c) => c.allowed.toString())).toEqual(['TCP 5432']);
  });

  test('json lists it like any other pair', () => {
    const json = JSON.parse([...formatReachability(reach, 'json')].join('')) as {
      connections: { src: string; dst: string; allowed: unknown }[];
    };
    expect(json.connections.filter((c) => c.src === c.dst)).toEqual([
      { src: DB, dst: DB, allowed: [{ protocol: 'TCP', ports: [[5432, 5432]] }] },
    ]);
  });

  test('--explain A A agrees: between different variants; one variant says so and allows nothing', () => {
    const db = explain(reach, DB, DB);
    expect(db.allowed.toString()).toBe('TCP 5432');
    expect(db.pairs.map((p) => [p.srcVariant, p.dstVariant, p.allowed.toString()])).toEqual([
      [0, 1, 'No Connections'],
      [1, 0, 'TCP 5432'],
    ]);
    expect(explain(reach, CACHE, CACHE).allowed.isEmpty()).toBe(true);
    const api = explain(reach, API, API);
    expect(api.oneVariantToItself).toBe(true);
    expect(api.allowed.isEmpty()).toBe(true);
    expect(api.pairs[0]!.allowed.toString()).toBe('All Connections');
  });

  test('a stored result answers who-can-reach and what-can-reach with the self pair, as the API does', () => {
    const { view } = fromMatrixDoc(JSON.parse(JSON.stringify(toMatrixDoc(reach))));
    expect(
      view
        .incoming(DB)
        .filter((c) => c.src === DB)
        .map((c) => c.allowed.toString()),
    ).toEqual(['TCP 5432']);
    expect(
      view
        .outgoing(DB)
        .filter((r) => r.dst === DB)
        .map((r) => r.allowed.toString()),
    ).toEqual(['TCP 5432']);
    expect(view.incoming(CACHE).some((c) => c.src === CACHE)).toBe(false);
    expect(view.outgoing(API).some((r) => r.dst === API)).toBe(false);
  });

  test('the connection count includes the self pair', () => {
    const workloadPairs = [...reach.connections()].filter((c) => !c.src.startsWith('ip:') && !c.dst.startsWith('ip:'));
    expect(exposureCounts(reach).connections).toBe(workloadPairs.length);
  });
});

describe('a self pair changes like any other pair', () => {
  const withoutLeaderPolicy = fixture.replace(/# The leader receives[\s\S]*?---\n/, '');

  test('removing the leader policy widens the self pair in a diff and in net changes', () => {
    const before = load(fixture);
    const after = load(withoutLeaderPolicy);
    expect(after.allowed(DB, DB).toString()).toBe('All Connections');
    const changes = [...diffReachability(before, after)].filter((c) => c.src === DB && c.dst === DB);
    expect(changes.map((c) => [c.change, `${c.before}`, `${c.after}`])).toEqual([
      ['widened', 'TCP 5432', 'All Connections'],
    ]);
    const net = netChanges(before.view, after.view, DB, 'in').filter((c) => c.src === DB);
    expect(net.map((c) => c.change)).toEqual(['widened']);
  });
});

describe('a rolling update: old and new pods of one Deployment told apart by a policy', () => {
  const pod = (name: string, version: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  labels: {app: web, version: "${version}"}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-${version}, uid: u, controller: true}]
spec: {containers: [{name: c, image: web, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-${version}
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d, controller: true}]
spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: web}]}}}
`;
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: v2-from-v1, namespace: shop}
spec:
  podSelector: {matchLabels: {version: "2"}}
  ingress: [{from: [{podSelector: {matchLabels: {version: "1"}}}], ports: [{port: http}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: v1-closed, namespace: shop}
spec:
  podSelector: {matchLabels: {version: "1"}}
  policyTypes: [Ingress]
`;

  test('the Deployment reaches itself on what its old pods may open to its new ones', () => {
    const reach = load(`${pod('web-a', '1')}---\n${pod('web-b', '2')}---\n${policy}`);
    expect(selfPairs(reach)).toEqual(['shop/web[Deployment]: TCP 8080']);
  });
});

describe('variants that no policy tells apart', () => {
  const statefulSetPod = (name: string, labels: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: data
  labels: {${labels}}
  ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: u, controller: true}]
spec: {containers: [{name: c, image: pg, ports: [{name: pg, containerPort: 5432}]}]}
`;
  const onlyApp = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-on-5432, namespace: data}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{ports: [{port: pg}]}]
`;

  test('a leader and a follower in one class still reach each other: listed, with what the class allows', () => {
    const reach = load(
      [
        statefulSetPod('db-0', 'app: db, role: leader'),
        statefulSetPod('db-1', 'app: db, role: follower'),
        onlyApp,
      ].join('---\n'),
    );
    expect(reach.nodesOf(DB)).toHaveLength(1);
    expect(selfPairs(reach)).toEqual([`${DB}: TCP 5432`]);
    expect(explain(reach, DB, DB).allowed.toString()).toBe('TCP 5432');
  });

  test('replicas differing only in labels controllers stamp (pod-name, revision hash) are one variant: not listed', () => {
    const reach = load(
      [
        statefulSetPod('db-0', 'app: db, statefulset.kubernetes.io/pod-name: db-0, controller-revision-hash: a'),
        statefulSetPod('db-1', 'app: db, statefulset.kubernetes.io/pod-name: db-1, controller-revision-hash: b'),
        onlyApp,
      ].join('---\n'),
    );
    expect(selfPairs(reach)).toEqual([]);
    expect(explain(reach, DB, DB).oneVariantToItself).toBe(true);
  });

  test('a stored result keeps which classes hold several variants', () => {
    const reach = load(
      [
        statefulSetPod('db-0', 'app: db, role: leader'),
        statefulSetPod('db-1', 'app: db, role: follower'),
        onlyApp,
      ].join('---\n'),
    );
    const doc = JSON.parse(JSON.stringify(toMatrixDoc(reach))) as ReturnType<typeof toMatrixDoc>;
    expect(doc.workloads.find(([id]) => id === DB)![2]).toHaveLength(1);
    expect(fromMatrixDoc(doc).view.allowed(DB, DB).toString()).toBe('TCP 5432');
  });
});
