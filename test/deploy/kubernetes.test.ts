import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';
import { REPO, runCli } from '../cli/run-cli.js';
import { API_PORT, cliOptions, cliSubcommands, envNamesReadByCode } from './code-facts.js';
import { parseDockerfile } from './dockerfile.js';

const DIR = 'deploy/kubernetes';

interface Probe {
  httpGet: { path: string; port: number | string };
}

interface Container {
  name: string;
  image: string;
  command?: string[];
  args: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: unknown[];
  envFrom?: { secretRef?: { name: string }; configMapRef?: unknown }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
}

interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  volumes?: { name: string; emptyDir?: object }[];
}

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    template?: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    ports?: { port: number; targetPort: number | string }[];
  };
  stringData?: Record<string, string>;
  data?: Record<string, string>;
  subjects?: { kind: string; name: string; namespace: string }[];
  resources?: string[];
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

const namespace = objects.find((o) => o.kind === 'Namespace')!.metadata.name;
const secret = objects.find((o) => o.kind === 'Secret')!;
const api = find('Deployment', 'reachlog-api');
const worker = find('Deployment', 'reachlog-worker');
const migrate = find('Job', 'reachlog-migrate');
const apiService = find('Service', 'reachlog-api');
const pods = [api, worker, migrate].map((o) => ({ name: o.metadata.name, spec: o.spec!.template!.spec }));
const apiContainer = api.spec!.template!.spec.containers[0]!;

/** A port number, or a container port's name resolved against the container. */
function resolvePort(container: Container, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

describe('deploy/kubernetes', () => {
  test('kustomization.yaml lists every manifest in the folder', () => {
    const kustomization = parse(readFileSync(join(REPO, DIR, 'kustomization.yaml'), 'utf8')) as K8sObject;
    expect([...kustomization.resources!].sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml').sort());
  });

  test('everything namespaced lives in the one namespace', () => {
    const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding'];
    for (const o of objects.filter((x) => !clusterScoped.includes(x.kind))) {
      expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe(namespace);
    }
  });

  test('api, worker and migrate run real subcommands of the one image (args: the entrypoint is reachlog)', () => {
    const commands = cliSubcommands();
    const images = new Set<string>();
    for (const { name, spec } of pods) {
      const [container] = spec.containers;
      expect(spec.containers, name).toHaveLength(1);
      expect(container!.command, `${name} must not override the entrypoint`).toBeUndefined();
      expect(commands, name).toContain(container!.args[0]);
      images.add(container!.image);
    }
    expect(images.size).toBe(1);
    expect(apiContainer.args).toEqual(['api', '--port', String(API_PORT)]);
    expect(worker.spec!.template!.spec.containers[0]!.args).toEqual(['worker']);
    expect(migrate.spec!.template!.spec.containers[0]!.args).toEqual(['migrate']);
    expect(cliOptions('api')).toContain('--port');
  });

  test('one API port: the command, the container port, the Service targetPort and both probes', () => {
    expect(apiContainer.ports!.map((p) => p.containerPort)).toEqual([API_PORT]);
    const [servicePort] = apiService.spec!.ports!;
    expect(resolvePort(apiContainer, servicePort!.targetPort)).toBe(API_PORT);
    expect(apiContainer.readinessProbe!.httpGet.path).toBe('/readyz');
    expect(apiContainer.livenessProbe!.httpGet.path).toBe('/healthz');
    for (const probe of [apiContainer.readinessProbe!, apiContainer.livenessProbe!]) {
      expect(resolvePort(apiContainer, probe.httpGet.port)).toBe(API_PORT);
    }
  });

  test("the Service selects the API's pods and nothing else", () => {
    const selector = apiService.spec!.selector as Record<string, string>;
    const matches = (labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
    expect(matches(api.spec!.template!.metadata.labels)).toBe(true);
    expect(matches(worker.spec!.template!.metadata.labels)).toBe(false);
    expect(matches(migrate.spec!.template!.metadata.labels)).toBe(false);
    expect(api.spec!.selector!.matchLabels).toEqual(api.spec!.template!.metadata.labels);
  });

  test('configuration comes only from the Secret, whose keys are the variables the code reads', () => {
    const read = envNamesReadByCode();
    const keys = Object.keys({ ...secret.stringData, ...secret.data });
    expect(keys.sort()).toEqual(['DATABASE_URL', 'REDIS_URL']);
    for (const key of keys) expect(read, key).toContain(key);
    for (const { name, spec } of pods) {
      const [container] = spec.containers;
      expect(container!.env, name).toBeUndefined();
      expect(container!.envFrom, name).toEqual([{ secretRef: { name: secret.metadata.name } }]);
    }
  });

  test('the worker runs as the service account rbac.yaml binds; the others get no API credentials', () => {
    const binding = objects.find((o) => o.kind === 'ClusterRoleBinding')!;
    const account = objects.find((o) => o.kind === 'ServiceAccount')!;
    expect(binding.subjects).toContainEqual({ kind: 'ServiceAccount', name: account.metadata.name, namespace });
    expect(worker.spec!.template!.spec.serviceAccountName).toBe(account.metadata.name);
    for (const o of [api, migrate]) expect(o.spec!.template!.spec.automountServiceAccountToken).toBe(false);
    expect(cliOptions('cluster', 'add')).toContain('--in-cluster');
  });

  test("pods run as the image's non-root user, read-only, with a writable /tmp for tsx's cache", () => {
    const stages = parseDockerfile(readFileSync(join(REPO, 'deploy/Dockerfile'), 'utf8'));
    const user = stages
      .at(-1)!
      .instructions.filter((i) => i.keyword === 'USER')
      .at(-1)!
      .args.split(':')[0];
    for (const { name, spec } of pods) {
      expect(spec.securityContext, name).toMatchObject({ runAsNonRoot: true, runAsUser: Number(user) });
      const [container] = spec.containers;
      expect(container!.securityContext, name).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
      const tmp = container!.volumeMounts!.find((m) => m.mountPath === '/tmp')!;
      expect(spec.volumes!.find((v) => v.name === tmp.name)!.emptyDir, name).toBeDefined();
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
