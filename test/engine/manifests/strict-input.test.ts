import { describe, expect, test } from 'vitest';
import { buildCluster } from '../../../engine/manifests/build-cluster.js';
import { parseManifestText } from '../../../engine/manifests/parse-documents.js';

const messages = (text: string) => {
  const parsed = parseManifestText(text, 'm.yaml');
  const cluster = buildCluster(parsed.objects);
  return { errors: [...parsed.errors, ...cluster.errors].map((e) => e.message), cluster, parsed };
};

const LABEL_SHAPE = "at most 63 characters: alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";

const BOMB = `a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
`;

const POD = `apiVersion: v1
kind: Pod
metadata: {name: ok, namespace: app}
spec: {containers: [{name: c, image: x}]}
`;

describe('one bad document is one problem', () => {
  test('a "billion laughs" document is refused, naming file and document; the others are read', () => {
    const { errors, cluster } = messages(`${POD}---\n${BOMB}---\n${POD.replace('name: ok', 'name: ok2')}`);
    expect(errors).toEqual([expect.stringMatching(/^m\.yaml, document 2: YAML aliases expand too far/)]);
    expect(cluster.workloads.map((w) => w.id)).toEqual(['app/ok2[Pod]', 'app/ok[Pod]']);
  });

  test('malformed JSON and YAML are placed by line and column, never quoting the text', () => {
    // Node's own message would quote the text around the error.
    const json = parseManifestText('{"apiVersion": "v1",\n "kind": SECRET_TOKEN=hunter2}', 'm.json');
    expect(json.errors.map((e) => e.message)).toEqual(['m.json, document 1: malformed JSON']);
    const trailing = parseManifestText('{"apiVersion": "v1",\n "kind": "Pod"} hunter2', 'm.json');
    expect(trailing.errors.map((e) => e.message)).toEqual(['m.json, document 1: malformed JSON at line 2, column 17']);
    const alias = messages(`${POD}---\napiVersion: v1\nkind: Pod\nmetadata: *hunter2\n`).errors;
    expect(alias).toEqual(['m.yaml, document 2: a YAML alias names no anchor before it']);
  });

  test('a YAML 1.1 tag (!!binary, !!set) stays text: never a Buffer whose methods read as unknown fields', () => {
    const { errors } = messages(`${POD.replace('spec: {', 'spec: {hostname: !!binary aGk=, ')}`);
    expect(errors).toEqual([]);
  });
});

describe('unknown fields, as strict field validation refuses them', () => {
  test('the output of kubectl get (status, managedFields, uid, …) has none', () => {
    const { errors } = messages(`apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: app
  uid: 5567b2fe-228f-4912-a31c-2fff24255c72
  resourceVersion: "6002"
  creationTimestamp: "2024-04-01T09:23:47Z"
  managedFields:
    - manager: kubectl
      operation: Apply
      fieldsType: FieldsV1
      fieldsV1: {"f:spec": {"f:containers": {}}}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: x, controller: true}]
spec:
  containers: [{name: c, image: x, resources: {limits: {cpu: "1"}}, ports: [{containerPort: 80, name: http}]}]
status:
  phase: Running
  podIP: 10.0.0.1
  podIPs: [{ip: 10.0.0.1}]
  conditions: [{type: Ready, status: "True"}]
`);
    expect(errors).toEqual([]);
  });

  test('a typo leaves the object out, naming the nearest known field; both of its problems in document order', () => {
    const { errors, cluster } = messages(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: app}
spec:
  podSelector: {}
  ingress:
    - port: 80
      ports: [{port: 70000}]
`);
    expect(errors).toEqual([
      'm.yaml, document 1: NetworkPolicy app/p spec.ingress[0].port: unknown field (did you mean ports?)',
      'm.yaml, document 1: NetworkPolicy app/p spec.ingress[0].ports[0].port: port 70000 is out of range (1-65535)',
    ]);
    expect(cluster.policies).toEqual([]);
  });

  test('an unrelated name gets no suggestion', () => {
    const { errors } = messages(`apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\nfavouriteColour: blue\n`);
    expect(errors).toEqual(['m.yaml, document 1: Namespace a favouriteColour: unknown field']);
  });

  test('objects an API server already accepted keep fields reachlog does not know (a newer server)', () => {
    const future = POD.replace('spec: {containers', 'spec: {someFutureField: true, containers');
    const parsed = parseManifestText(future, 'm.yaml');
    expect(buildCluster(parsed.objects).errors).toHaveLength(1);
    expect(buildCluster(parsed.objects, { acceptedByApiServer: true }).errors).toEqual([]);
  });

  test('kinds reachlog skips are not checked', () => {
    const { errors, cluster } = messages(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nwhatever: 1\n`);
    expect(errors).toEqual([]);
    expect(cluster.skippedKinds.get('ConfigMap')).toBe(1);
  });
});

describe('duplicate keys', () => {
  test('name the field and both lines, in a List item too', () => {
    const { errors } = messages(`apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Namespace
    metadata: {name: a}
  - apiVersion: v1
    kind: Namespace
    metadata:
      name: b
      name: c
`);
    expect(errors).toEqual([
      'm.yaml, document 1, items[1]: Namespace c metadata.name: duplicate key at line 11 (first at line 10)',
    ]);
  });
});

describe('duplicate keys in JSON', () => {
  test('JSON.parse keeps the last value; reachlog names the field, per document of a top-level array', () => {
    const policy = (name: string, types: string) =>
      `{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "${name}", "namespace": "a"},
        "spec": {"podSelector": {}, "policyTypes": ${types}}}`;
    const text = `[${policy('ok', '["Ingress"]')},
      ${policy('twice', '["Ingress"], "policyTypes": ["Egress"]')},
      {"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": "x", "labels": {"k": "v", "k\\u0000": "not the same", "k": "again"}}}]}]`;
    const { errors } = messages(text);
    expect(errors).toEqual([
      'm.yaml, document 2: NetworkPolicy a/twice spec.policyTypes: duplicate key',
      'm.yaml, document 3, items[0]: Namespace x metadata.labels.k: duplicate key',
      // The other key is not a duplicate, and not valid either (the API server refuses both of these too).
      `m.yaml, document 3, items[0]: Namespace x metadata.labels.k\u0000: invalid label key: its name must be ${LABEL_SHAPE}`,
      `m.yaml, document 3, items[0]: Namespace x metadata.labels.k\u0000: invalid label value "not the same": must be empty or ${LABEL_SHAPE}`,
    ]);
  });

  test('keys inside string values and escaped quotes are not keys', () => {
    const { errors } = messages(
      '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n", "annotations": {"a": "{\\"a\\": 1, \\"a\\": 2}"}}}',
    );
    expect(errors).toEqual([]);
  });
});

describe('documents that are not Kubernetes objects', () => {
  test('mappings without apiVersion and kind (Helm values, CI configs) are counted, not errors', () => {
    const { errors, parsed } = messages('replicaCount: 2\nimage: {repository: nginx}\n---\nstages: [build, test]\n');
    expect(errors).toEqual([]);
    expect(parsed.notObjects).toBe(2);
  });
});

describe('unknown fields in the admin policy kinds', () => {
  test('a typo at a closed level leaves the policy out, naming the nearest known field', () => {
    const { errors, cluster } = messages(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-db}
spec:
  prority: 10
  subject: {namespaces: {matchLabel: {team: db}}}
  ingres:
    - action: Deny
      from: [{namespaces: {}}]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: web}
spec:
  tier: Admin
  priority: 5
  subject: {namespaces: {}}
  ingress:
    - action: Accept
      from: [{namespaces: {}}]
      protocols: [{tcp: {destinationPorts: {number: 80}}}]
`);
    expect(errors).toEqual([
      'm.yaml, document 1: AdminNetworkPolicy deny-db spec.prority: unknown field (did you mean priority?)',
      'm.yaml, document 1: AdminNetworkPolicy deny-db spec.subject.namespaces.matchLabel: unknown field (did you mean matchLabels?)',
      'm.yaml, document 1: AdminNetworkPolicy deny-db spec.ingres: unknown field (did you mean ingress?)',
      'm.yaml, document 1: AdminNetworkPolicy deny-db spec.priority: is required',
      'm.yaml, document 2: ClusterNetworkPolicy web spec.ingress[0].protocols[0].tcp.destinationPorts: unknown field (did you mean destinationPort?)',
      'm.yaml, document 2: ClusterNetworkPolicy web spec.ingress[0].protocols[0].tcp.destinationPort: is required',
    ]);
    expect(cluster.adminPolicies).toEqual([]);
  });

  test('a peer of a kind reachlog does not know is not a typo: it fails closed, as the peer types require', () => {
    const { errors, cluster } = messages(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: newer-peer}
spec:
  priority: 10
  subject: {namespaces: {}}
  ingress:
    - action: Deny
      from: [{serviceAccounts: {names: [builder]}}]
`);
    expect(errors).toEqual([]);
    expect(cluster.adminPolicies[0]!.ingress[0]!.peers).toEqual([{ kind: 'unknown', fields: ['serviceAccounts'] }]);
  });
});

describe('every invalid value of an object, in document order', () => {
  test('a bad selector operator, port and protocol are all reported, in the order they are written', () => {
    const { errors, cluster } = messages(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: app}
spec:
  ingress:
    - ports: [{protocol: TCPP, port: 99999}]
  podSelector:
    matchExpressions: [{key: app, operator: Equals, values: [api]}]
`);
    expect(errors).toEqual([
      'm.yaml, document 1: NetworkPolicy app/p spec.ingress[0].ports[0].protocol: unsupported protocol "TCPP" (expected TCP, UDP or SCTP)',
      'm.yaml, document 1: NetworkPolicy app/p spec.ingress[0].ports[0].port: port 99999 is out of range (1-65535)',
      'm.yaml, document 1: NetworkPolicy app/p spec.podSelector.matchExpressions[0].operator: unknown operator "Equals" (expected In, NotIn, Exists or DoesNotExist)',
    ]);
    expect(cluster.policies).toEqual([]);
  });

  test('a bad cidr and a bad except are both reported; an except outside a valid cidr too', () => {
    const { errors } = messages(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: app}
spec:
  podSelector: {}
  egress:
    - to:
        - ipBlock: {cidr: 10.0.0.0/33, except: [10.1.0.0/99]}
        - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.0/24, 192.168.0.0/24]}
`);
    expect(errors).toEqual([
      'm.yaml, document 1: NetworkPolicy app/p spec.egress[0].to[0].ipBlock.cidr: "10.0.0.0/33" is not a valid CIDR',
      'm.yaml, document 1: NetworkPolicy app/p spec.egress[0].to[0].ipBlock.except[0]: "10.1.0.0/99" is not a valid CIDR',
      'm.yaml, document 1: NetworkPolicy app/p spec.egress[0].to[1].ipBlock.except[1]: 192.168.0.0/24 must be a strict subset of cidr 10.0.0.0/16',
    ]);
  });

  test('Pod: a bad label value, a port name given twice in a container and a bad port number', () => {
    const { errors, cluster } = messages(`apiVersion: v1
kind: Pod
metadata: {name: w, namespace: app, labels: {app: w, version: "1.0-"}}
spec:
  containers:
    - name: c
      image: x
      ports: [{name: metrics, containerPort: 9090}, {name: metrics, containerPort: 70000}]
    - name: d
      image: x
      ports: [{name: metrics, containerPort: 9091}]
`);
    expect(errors).toEqual([
      `m.yaml, document 1: Pod app/w metadata.labels.version: invalid label value "1.0-": must be empty or ${LABEL_SHAPE}`,
      'm.yaml, document 1: Pod app/w spec.containers[0].ports[1].name: duplicate port name "metrics"',
      'm.yaml, document 1: Pod app/w spec.containers[0].ports[1].containerPort: port 70000 is out of range (1-65535)',
    ]);
    expect(cluster.workloads).toEqual([]);
  });

  test('Service: ports unnamed among several, names and port/protocol given twice', () => {
    const { errors, cluster } = messages(`apiVersion: v1
kind: Service
metadata: {name: s, namespace: app}
spec:
  selector: {app: "a b"}
  ports:
    - {name: http, port: 80}
    - {port: 80}
    - {name: http, port: 81, protocol: UDP}
`);
    expect(errors).toEqual([
      `m.yaml, document 1: Service app/s spec.selector.app: invalid label value "a b": must be empty or ${LABEL_SHAPE}`,
      'm.yaml, document 1: Service app/s spec.ports[1]: duplicate port 80/TCP',
      'm.yaml, document 1: Service app/s spec.ports[1].name: is required when a Service has more than one port',
      'm.yaml, document 1: Service app/s spec.ports[2].name: duplicate port name "http"',
    ]);
    expect(cluster.services).toEqual([]);
  });

  test('admin policies: a bad priority, action, peer selector and port in two rules are all reported', () => {
    const { errors, cluster } = messages(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: a}
spec:
  priority: 2000
  subject: {namespaces: {}}
  ingress:
    - action: Drop
      from: [{namespaces: {matchExpressions: [{key: team, operator: Equals}]}}]
    - action: Allow
      from: [{namespaces: {}}]
      ports: [{portNumber: {port: 0}}]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: c}
spec:
  tier: Middle
  priority: 5
  subject: {namespaces: {}}
  egress:
    - action: Accept
      to: [{networks: [10.0.0.0/33]}]
      protocols: [{udp: {destinationPort: {number: 70000}}}]
`);
    expect(errors).toEqual([
      'm.yaml, document 1: AdminNetworkPolicy a spec.priority: 2000 is out of range (an integer from 0 to 1000)',
      'm.yaml, document 1: AdminNetworkPolicy a spec.ingress[0].action: unknown action "Drop" (expected Allow, Deny, Pass)',
      'm.yaml, document 1: AdminNetworkPolicy a spec.ingress[0].from[0].namespaces.matchExpressions[0].operator: unknown operator "Equals" (expected In, NotIn, Exists or DoesNotExist)',
      'm.yaml, document 1: AdminNetworkPolicy a spec.ingress[1].ports[0].portNumber.port: port 0 is out of range (1-65535)',
      'm.yaml, document 2: ClusterNetworkPolicy c spec.tier: unknown tier "Middle" (expected Admin or Baseline)',
      'm.yaml, document 2: ClusterNetworkPolicy c spec.egress[0].to[0].networks[0]: "10.0.0.0/33" is not a valid CIDR',
      'm.yaml, document 2: ClusterNetworkPolicy c spec.egress[0].protocols[0].udp.destinationPort.number: port 70000 is out of range (1-65535)',
    ]);
    expect(cluster.adminPolicies).toEqual([]);
  });

  test('valid labels are accepted: prefixed keys, empty values, dots and dashes inside', () => {
    const { errors } = messages(`apiVersion: v1
kind: Namespace
metadata:
  name: a
  labels: {app.kubernetes.io/name: web, example.com/empty: "", v: 1.2.3-rc_1}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: a}
spec:
  podSelector:
    matchExpressions: [{key: app.kubernetes.io/name, operator: In, values: [web, ""]}]
`);
    expect(errors).toEqual([]);
  });

  test('bad label keys: two slashes, an upper-case prefix, a name over 63 characters', () => {
    const { errors } = messages(`apiVersion: v1
kind: Namespace
metadata:
  name: a
  labels: {a/b/c: x, Example.com/x: y, ${'n'.repeat(64)}: z}
`);
    expect(errors.map((e) => e.replace(/^.*?metadata\.labels\.[^:]*: /, ''))).toEqual([
      "invalid label key: more than one '/'",
      'invalid label key: its prefix "Example.com" must be a DNS subdomain (lower-case, at most 253 characters)',
      `invalid label key: its name must be ${LABEL_SHAPE}`,
    ]);
  });
});
