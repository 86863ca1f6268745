import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';
import { REPO, runCli } from '../cli/run-cli.js';
import { READINESS_TIMEOUT_MS } from '../../store/readiness.js';
import { API_PORT, STATUS_PORT, cliOptions, cliSubcommands, envNamesReadByCode, readmeCommands } from './code-facts.js';
import { parseDockerfile } from './dockerfile.js';

const DIR = 'deploy/kubernetes';

interface Probe {
  httpGet: { path: string; port: number | string };
  timeoutSeconds?: number;
}

interface Container {
  name: string;
  image: string;
  command?: string[];
  args: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { secretRef?: { name: string }; configMapRef?: unknown }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  initContainers?: Container[];
  containers: Container[];
  volumes?: { name: string; emptyDir?: object }[];
}

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    template?: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: PodSpec;
    };
    ports?: { port: number; targetPort: number | string }[];
  };
  subjects?: { kind: string; name: string; namespace: string }[];
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

const files = readdirSync(join(REPO, DIR)).filter((f) => f.endsWith('.yaml'));
const objects: (K8sObject & { file: string })[] = files
  .filter((f) => f !== 'kustomization.yaml')
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(REPO, DIR, file), 'utf8')).map((d) => ({
      ...(d.toJS() as K8sObject),
      file,
    })),
  );

function find(kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in ${DIR}`);
  return o;
}

const kustomization = parse(readFileSync(join(REPO, DIR, 'kustomization.yaml'), 'utf8')) as K8sObject;
const namespace = objects.find((o) => o.kind === 'Namespace')!.metadata.name;
const api = find('Deployment', 'reachlog-api');
const worker = find('Deployment', 'reachlog-worker');
const apiService = find('Service', 'reachlog-api');
const pods = [api, worker].map((o) => ({ name: o.metadata.name, spec: o.spec!.template!.spec }));
const containersOf = (spec: PodSpec) => [...(spec.initContainers ?? []), ...spec.containers];
const apiContainer = api.spec!.template!.spec.containers[0]!;
const workerContainer = worker.spec!.template!.spec.containers[0]!;

/** The Secret the README's `kubectl create secret generic` makes: its name and keys. */
function readmeSecret(): { namespace: string; name: string; keys: string[] } {
  const command = readmeCommands('Deploy')
    .flat()
    .find((c) => /^kubectl .*create secret generic /.test(c));
  if (!command) throw new Error('README.md (Deploy) has no `kubectl create secret generic` command');
  return {
    namespace: /-n (\S+)/.exec(command)![1]!,
    name: /create secret generic (\S+)/.exec(command)![1]!,
    keys: [...command.matchAll(/--from-literal=([A-Z_]+)=/g)].map((m) => m[1]!),
  };
}

/** The API's metrics port, as deploy/monitoring's Service and NetworkPolicy name it. */
const METRICS_PORT = resolvePort(apiContainer, 'metrics')!;

/** A port number, or a container port's name resolved against the container. */
function resolvePort(container: Container, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

describe('deploy/kubernetes', () => {
  test('kustomization.yaml lists every manifest in the folder', () => {
    expect([...kustomization.resources!].sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml').sort());
  });

  test('applying it again with a new image is an upgrade: no Job (immutable template) and no Secret (yours) in it', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    expect(kinds).not.toContain('Job');
    expect(kinds).not.toContain('Secret');
    expect([...kinds].sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'Deployment',
        'Namespace',
        'NetworkPolicy',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
  });

  test("the kustomization's image is the one image of every container, init containers included", () => {
    const [image] = kustomization.images!;
    expect(kustomization.images).toHaveLength(1);
    for (const { name, spec } of pods) {
      for (const container of containersOf(spec)) {
        // kustomize replaces an image by its name, whatever tag the manifest states.
        expect(container.image.split(':')[0], `${name}/${container.name}`).toBe(image!.name);
      }
    }
    expect(new Set(pods.flatMap(({ spec }) => containersOf(spec).map((c) => c.image))).size).toBe(1);
  });

  test('everything namespaced lives in the one namespace', () => {
    const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding'];
    for (const o of objects.filter((x) => !clusterScoped.includes(x.kind))) {
      expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe(namespace);
    }
  });

  test('every pod migrates before it starts: one init container running `reachlog migrate`', () => {
    for (const { name, spec } of pods) {
      expect(
        spec.initContainers!.map((c) => c.args),
        name,
      ).toEqual([['migrate']]);
    }
    expect(cliSubcommands()).toContain('migrate');
  });

  test('api and worker run real subcommands of the one image (args: the entrypoint is reachlog)', () => {
    const commands = cliSubcommands();
    for (const { name, spec } of pods) {
      expect(spec.containers, name).toHaveLength(1);
      for (const container of containersOf(spec)) {
        expect(container.command, `${name}/${container.name} must not override the entrypoint`).toBeUndefined();
        expect(commands, name).toContain(container.args[0]);
      }
      // `kubectl exec deploy/NAME` (the README's `cluster add`) runs in the process, not the init step.
      const annotations = (name === 'reachlog-api' ? api : worker).spec!.template!.metadata.annotations;
      expect(annotations?.['kubectl.kubernetes.io/default-container'], name).toBe(spec.containers[0]!.name);
    }
    expect(apiContainer.args).toEqual(['api', '--port', String(API_PORT), '--metrics-port', String(METRICS_PORT)]);
    expect(workerContainer.args).toEqual(['worker', '--status-port', String(STATUS_PORT)]);
    expect(cliOptions('api')).toContain('--port');
    expect(cliOptions('api')).toContain('--metrics-port');
    expect(cliOptions('worker')).toContain('--status-port');
  });

  test('one API port: the command, the container port, the Service targetPort and both probes', () => {
    expect(apiContainer.ports!.map((p) => p.containerPort)).toEqual([API_PORT, METRICS_PORT]);
    expect(apiService.spec!.ports).toHaveLength(1);
    const [servicePort] = apiService.spec!.ports!;
    expect(resolvePort(apiContainer, servicePort!.targetPort)).toBe(API_PORT);
    expect(apiContainer.readinessProbe!.httpGet.path).toBe('/readyz');
    expect(apiContainer.livenessProbe!.httpGet.path).toBe('/healthz');
    for (const probe of [apiContainer.readinessProbe!, apiContainer.livenessProbe!]) {
      expect(resolvePort(apiContainer, probe.httpGet.port)).toBe(API_PORT);
    }
  });

  test("the worker's probes ask its status server: /readyz and /healthz on the status port", () => {
    expect(workerContainer.ports!.map((p) => p.containerPort)).toEqual([STATUS_PORT]);
    expect(workerContainer.readinessProbe!.httpGet.path).toBe('/readyz');
    expect(workerContainer.livenessProbe!.httpGet.path).toBe('/healthz');
    for (const probe of [workerContainer.readinessProbe!, workerContainer.livenessProbe!]) {
      expect(resolvePort(workerContainer, probe.httpGet.port)).toBe(STATUS_PORT);
    }
  });

  test('readiness probes wait longer than a readiness check may take, so a failing check is a 503 with its reason', () => {
    for (const container of [apiContainer, workerContainer]) {
      // Kubernetes' default probe timeout is 1 s.
      const timeoutMs = (container.readinessProbe!.timeoutSeconds ?? 1) * 1_000;
      expect(timeoutMs, container.name).toBeGreaterThan(READINESS_TIMEOUT_MS);
    }
  });

  test("the Service selects the API's pods and nothing else", () => {
    const selector = apiService.spec!.selector as Record<string, string>;
    const matches = (labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
    expect(matches(api.spec!.template!.metadata.labels)).toBe(true);
    expect(matches(worker.spec!.template!.metadata.labels)).toBe(false);
    expect(api.spec!.selector!.matchLabels).toEqual(api.spec!.template!.metadata.labels);
  });

  test('secrets come only from the Secret the README creates, whose keys are the variables the code reads; the rest are plain settings the code reads', () => {
    const secret = readmeSecret();
    expect(secret.namespace).toBe(namespace);
    expect([...secret.keys].sort()).toEqual(['DATABASE_URL', 'REDIS_URL']);
    const read = envNamesReadByCode();
    for (const key of secret.keys) expect(read, key).toContain(key);
    for (const { name, spec } of pods) {
      for (const container of containersOf(spec)) {
        expect(container.envFrom, `${name}/${container.name}`).toEqual([{ secretRef: { name: secret.name } }]);
        for (const variable of container.env ?? []) {
          const where = `${name}/${container.name} ${variable.name}`;
          expect(read, where).toContain(variable.name);
          expect(secret.keys, where).not.toContain(variable.name);
          expect(variable.value, where).toMatch(/^\d+$/);
        }
      }
    }
  });

  test("the worker's snapshot threads are capped inside its memory limit", () => {
    const heapMb = Number(workerContainer.env?.find((v) => v.name === 'REACHLOG_SNAPSHOT_HEAP_MB')?.value);
    const limit = String(workerContainer.resources!.limits!.memory);
    const limitMb = Number(/^(\d+)Gi$/.exec(limit)?.[1]) * 1024 || Number(/^(\d+)Mi$/.exec(limit)?.[1]);
    expect(heapMb).toBeGreaterThan(0);
    // Room for the main thread, buffers and the COPY stream beside the thread's heap.
    expect(heapMb).toBeLessThanOrEqual(limitMb - 256);
  });

  test('the README applies the namespace before creating the Secret in it, then the folder', () => {
    const commands = readmeCommands('Deploy').flat();
    const at = (re: RegExp) => commands.findIndex((c) => re.test(c));
    const namespaceStep = at(new RegExp(`^kubectl apply -f ${DIR}/namespace\\.yaml$`));
    const secretStep = at(/create secret generic /);
    const applyStep = at(new RegExp(`^kubectl apply -k ${DIR}$`));
    expect(namespaceStep).toBeGreaterThanOrEqual(0);
    expect(secretStep).toBeGreaterThan(namespaceStep);
    expect(applyStep).toBeGreaterThan(secretStep);
    for (const c of commands.filter((x) => / deploy\/reachlog-/.test(x))) {
      const deployment = / deploy\/(reachlog-[a-z]+)/.exec(c)![1]!;
      expect(
        pods.map((p) => p.name),
        c,
      ).toContain(deployment);
    }
  });

  test('the worker runs as the service account rbac.yaml binds; the API gets no API credentials', () => {
    const binding = objects.find((o) => o.kind === 'ClusterRoleBinding')!;
    const account = objects.find((o) => o.kind === 'ServiceAccount')!;
    expect(binding.subjects).toContainEqual({ kind: 'ServiceAccount', name: account.metadata.name, namespace });
    expect(worker.spec!.template!.spec.serviceAccountName).toBe(account.metadata.name);
    expect(api.spec!.template!.spec.automountServiceAccountToken).toBe(false);
    expect(cliOptions('cluster', 'add')).toContain('--in-cluster');
  });

  test("pods run as the image's non-root user, read-only, with a writable /tmp", () => {
    const stages = parseDockerfile(readFileSync(join(REPO, 'deploy/Dockerfile'), 'utf8'));
    const user = stages
      .at(-1)!
      .instructions.filter((i) => i.keyword === 'USER')
      .at(-1)!
      .args.split(':')[0];
    for (const { name, spec } of pods) {
      expect(spec.securityContext, name).toMatchObject({ runAsNonRoot: true, runAsUser: Number(user) });
      for (const container of containersOf(spec)) {
        expect(container.securityContext, `${name}/${container.name}`).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
        });
        const tmp = container.volumeMounts!.find((m) => m.mountPath === '/tmp')!;
        expect(spec.volumes!.find((v) => v.name === tmp.name)!.emptyDir, `${name}/${container.name}`).toBeDefined();
      }
    }
  });

  test("reachlog's own analysis of the manifests: only the API port can be reached", () => {
    const r = runCli('analyze', DIR, '--output', 'json');
    expect(r.status).toBe(0);
    const { connections } = JSON.parse(r.stdout) as {
      connections: { src: string; dst: string; allowed: { protocol: string; ports: [number, number][] }[] }[];
    };
    const inbound = connections.filter((c) => c.dst.startsWith(`${namespace}/`));
    expect(inbound.length).toBeGreaterThan(0);
    for (const c of inbound) {
      expect(c.dst).toBe(`${namespace}/${api.metadata.name}[Deployment]`);
      expect(c.allowed).toEqual([{ protocol: 'TCP', ports: [[API_PORT, API_PORT]] }]);
    }
  });
});
