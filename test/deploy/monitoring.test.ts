import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import type { Registry } from 'prom-client';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';
import { createApiMetrics, createWorkerMetrics, type MetricsSources } from '../../metrics/process-metrics.js';
import { REPO, runCli } from '../cli/run-cli.js';

/**
 * deploy/monitoring against the code: every metric a rule or the dashboard queries is one the API
 * or the worker registers (with the labels it has), and the scrape targets are the ports the
 * Deployments in deploy/kubernetes open.
 */

const DIR = 'deploy/monitoring';

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

const yamlFiles = readdirSync(join(REPO, DIR)).filter((f) => f.endsWith('.yaml'));
const objects = yamlFiles
  .filter((f) => f !== 'kustomization.yaml')
  .flatMap((f) => parseAllDocuments(readFileSync(join(REPO, DIR, f), 'utf8')).map((d) => d.toJS() as K8sObject));
const kustomization = parse(readFileSync(join(REPO, DIR, 'kustomization.yaml'), 'utf8')) as {
  resources: string[];
  configMapGenerator: { name: string; files: string[]; options: { labels: Record<string, string> } }[];
};
const dashboard = JSON.parse(readFileSync(join(REPO, DIR, 'grafana-dashboard.json'), 'utf8')) as Dashboard;
const deployments = parseAllDocuments(
  ['api.yaml', 'worker.yaml'].map((f) => readFileSync(join(REPO, 'deploy/kubernetes', f), 'utf8')).join('\n---\n'),
)
  .map((d) => d.toJS() as K8sObject)
  .filter((o) => o.kind === 'Deployment');

interface Panel {
  title?: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}
interface Dashboard {
  panels: Panel[];
  templating: { list: { name: string; definition?: string }[] };
}

/** Labels Prometheus adds to every scraped series (target labels of a ServiceMonitor). */
const TARGET_LABELS = ['job', 'instance', 'namespace', 'pod', 'service', 'container', 'endpoint'];

/** Each exposed series name with its labels, from the registries the API and the worker create. */
async function registeredSeries(): Promise<Map<string, Set<string>>> {
  const sources: MetricsSources = {
    clusterFacts: async () => [],
    queues: [{ name: 'reachlog-snapshot', getJobCounts: async () => ({}) }],
    failedDeliveries: async () => [],
  };
  const series = new Map<string, Set<string>>();
  const add = (name: string, labels: readonly string[]) =>
    series.set(name, new Set([...(series.get(name) ?? []), ...labels, ...TARGET_LABELS]));
  const registries: Registry[] = [createApiMetrics(sources).registry, createWorkerMetrics(sources).registry];
  for (const registry of registries) {
    for (const metric of registry.getMetricsAsArray()) {
      const {
        name,
        labelNames = [],
        get,
      } = metric as unknown as {
        name: string;
        labelNames?: string[];
        get(): Promise<{ type: string }>;
      };
      const { type } = await get.call(metric);
      if (type === 'histogram') {
        add(`${name}_bucket`, [...labelNames, 'le']);
        add(`${name}_sum`, labelNames);
        add(`${name}_count`, labelNames);
      } else if (type === 'summary') {
        add(name, [...labelNames, 'quantile']);
        add(`${name}_sum`, labelNames);
        add(`${name}_count`, labelNames);
      } else {
        add(name, labelNames);
      }
    }
  }
  return series;
}

/** Grafana's variables, replaced by values PromQL accepts. */
function withoutVariables(expr: string): string {
  return expr.replace(/\$__rate_interval/g, '5m').replace(/\$\{?cluster\}?/g, 'shop');
}

interface Query {
  where: string;
  expr: string;
}

function ruleQueries(): Query[] {
  const rules = objects.find((o) => o.kind === 'PrometheusRule')!;
  const groups = rules.spec.groups as { name: string; rules: { alert: string; expr: string }[] }[];
  return groups.flatMap((g) => g.rules.map((r) => ({ where: `PrometheusRule ${r.alert}`, expr: r.expr })));
}

function dashboardQueries(): Query[] {
  const queries: Query[] = [];
  const walk = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) queries.push({ where: `panel "${p.title}"`, expr: withoutVariables(t.expr) });
      walk(p.panels ?? []);
    }
  };
  walk(dashboard.panels);
  for (const v of dashboard.templating.list) {
    // Grafana's label_values(metric, label) is not PromQL: its metric and label are checked as a selector.
    const m = /^label_values\((\w+),\s*(\w+)\)$/.exec(v.definition ?? '');
    if (v.definition !== undefined) {
      expect(m, `variable ${v.name}: ${v.definition}`).not.toBeNull();
      queries.push({ where: `variable ${v.name}`, expr: `count by (${m![2]}) (${m![1]})` });
    }
  }
  return queries;
}

interface Selector {
  metric: string;
  labels: string[];
}

/** The metrics an expression selects (with the labels it matches on), and the labels it groups by; throws on a syntax error. */
function analyzeQuery(expr: string): { selectors: Selector[]; grouping: string[] } {
  const tree = parser.parse(expr);
  const selectors: Selector[] = [];
  const grouping: string[] = [];
  const text = (n: { from: number; to: number }) => expr.slice(n.from, n.to);
  tree.iterate({
    enter(node) {
      if (node.type.isError) throw new Error(`syntax error at ${node.from}: …${expr.slice(node.from, node.from + 30)}`);
    },
  });
  tree.iterate({
    enter(node) {
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        const matchers = node.node.getChild('LabelMatchers');
        const labels: string[] = [];
        matchers?.toTree().iterate({
          enter: (m) => {
            if (m.name === 'LabelName') labels.push(expr.slice(matchers.from + m.from, matchers.from + m.to));
          },
        });
        if (identifier) selectors.push({ metric: text(identifier), labels });
        return false;
      }
      if (node.name === 'GroupingLabels') {
        for (const label of node.node.getChildren('LabelName')) grouping.push(text(label));
        return false;
      }
      return undefined;
    },
  });
  return { selectors, grouping };
}

describe('deploy/monitoring', () => {
  test('every query of the rules and the dashboard parses and selects metrics the code registers, by labels they have', async () => {
    const series = await registeredSeries();
    const queries = [...ruleQueries(), ...dashboardQueries()];
    expect(queries.length).toBeGreaterThan(20);
    const problems: string[] = [];
    const used = new Set<string>();
    for (const { where, expr } of queries) {
      let analyzed;
      try {
        analyzed = analyzeQuery(expr);
      } catch (e) {
        problems.push(`${where}: ${(e as Error).message}`);
        continue;
      }
      expect(analyzed.selectors.length, `${where} selects no metric`).toBeGreaterThan(0);
      const labelsInScope = new Set<string>();
      for (const { metric, labels } of analyzed.selectors) {
        used.add(metric);
        const known = series.get(metric);
        if (!known) {
          problems.push(`${where}: ${metric} is not a metric the API or the worker registers`);
          continue;
        }
        for (const l of known) labelsInScope.add(l);
        for (const l of labels) if (!known.has(l)) problems.push(`${where}: ${metric} has no label ${l}`);
      }
      for (const l of analyzed.grouping) {
        if (!labelsInScope.has(l)) problems.push(`${where}: groups by ${l}, which no metric it selects has`);
      }
    }
    expect(problems).toEqual([]);
    // The rules' subjects: overdue snapshots, failing deliveries, exposure increased.
    for (const metric of [
      'reachlog_cluster_last_success_timestamp_seconds',
      'reachlog_cluster_snapshot_interval_seconds',
      'reachlog_alert_deliveries_total',
      'reachlog_cluster_workloads_exposed_to_outside',
    ]) {
      expect(used, metric).toContain(metric);
    }
  });

  test('the check itself catches a misspelt metric, a label the metric lacks, and broken syntax', async () => {
    const series = await registeredSeries();
    expect(series.has('reachlog_cluster_workloads')).toBe(true);
    expect(series.has('reachlog_cluster_workload')).toBe(false);
    expect(series.get('reachlog_cluster_workloads')!.has('cluster')).toBe(true);
    expect(series.get('reachlog_cluster_workloads')!.has('direction')).toBe(false);
    expect(analyzeQuery('max by (cluster) (reachlog_cluster_workloads{direction="ingress"})')).toEqual({
      selectors: [{ metric: 'reachlog_cluster_workloads', labels: ['direction'] }],
      grouping: ['cluster'],
    });
    expect(() => analyzeQuery('max by (cluster (reachlog_cluster_workloads)')).toThrow(/syntax error/);
  });

  test('kustomization.yaml lists every manifest in the folder and ships the dashboard to Grafana', () => {
    expect([...kustomization.resources].sort()).toEqual(yamlFiles.filter((f) => f !== 'kustomization.yaml').sort());
    const [generator] = kustomization.configMapGenerator;
    expect(generator!.files).toEqual(['reachlog-dashboard.json=grafana-dashboard.json']);
    expect(generator!.options.labels).toEqual({ grafana_dashboard: '1' });
    for (const o of objects) expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe('reachlog');
  });

  test('the ServiceMonitor scrapes /metrics on ports the Deployments open: the API metrics port and the worker status port', () => {
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor')!;
    const selector = (monitor.spec.selector as { matchLabels: Record<string, string> }).matchLabels;
    const endpoints = monitor.spec.endpoints as { port: string; path: string }[];
    const services = objects.filter(
      (o) => o.kind === 'Service' && Object.entries(selector).every(([k, v]) => o.metadata.labels?.[k] === v),
    );
    expect(services.map((s) => s.metadata.name).sort()).toEqual(['reachlog-api-metrics', 'reachlog-worker-metrics']);
    for (const service of services) {
      const podLabels = (service.spec.selector as Record<string, string>) ?? {};
      const deployment = deployments.find((d) => {
        const labels = (d.spec.template as { metadata: { labels: Record<string, string> } }).metadata.labels;
        return Object.entries(podLabels).every(([k, v]) => labels[k] === v);
      })!;
      const container = (
        deployment.spec.template as {
          spec: { containers: { args: string[]; ports: { name: string; containerPort: number }[] }[] };
        }
      ).spec.containers[0]!;
      for (const { port, path } of endpoints) {
        expect(path).toBe('/metrics');
        const servicePort = (service.spec.ports as { name: string; targetPort: string }[]).find(
          (p) => p.name === port,
        )!;
        const target = container.ports.find((p) => p.name === servicePort.targetPort);
        expect(target, `${service.metadata.name} → ${deployment.metadata.name}`).toBeDefined();
        // The process serves /metrics on that port: the API's --metrics-port, the worker's --status-port.
        const flag = deployment.metadata.name === 'reachlog-api' ? '--metrics-port' : '--status-port';
        expect(container.args[container.args.indexOf(flag) + 1]).toBe(String(target!.containerPort));
      }
    }
  });

  test("reachlog's own analysis: Prometheus' namespace reaches the metrics ports, other namespaces only the API port", () => {
    const r = runCli('analyze', 'deploy/kubernetes', DIR, 'test/fixtures/prometheus-scraper', '--output', 'json');
    expect(r.status, r.stderr).toBe(0);
    const { connections } = JSON.parse(r.stdout) as {
      connections: { src: string; dst: string; allowed: { protocol: string; ports: [number, number][] }[] }[];
    };
    const into = (src: string, dst: string) => connections.find((c) => c.src === src && c.dst === dst)?.allowed;
    const prometheus = 'monitoring/prometheus-0[Pod]';
    const curious = 'elsewhere/curious[Pod]';
    expect(into(prometheus, 'reachlog/reachlog-api[Deployment]')).toEqual([
      {
        protocol: 'TCP',
        ports: [
          [8080, 8080],
          [9092, 9092],
        ],
      },
    ]);
    expect(into(prometheus, 'reachlog/reachlog-worker[Deployment]')).toEqual([
      { protocol: 'TCP', ports: [[9091, 9091]] },
    ]);
    expect(into(curious, 'reachlog/reachlog-api[Deployment]')).toEqual([{ protocol: 'TCP', ports: [[8080, 8080]] }]);
    expect(into(curious, 'reachlog/reachlog-worker[Deployment]')).toBeUndefined();
  });
});
