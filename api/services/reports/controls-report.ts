import picomatch from 'picomatch';
import { parseSelectorText } from '../../../engine/index.js';
import type { VersionSpan } from '../../../store/report-history.repository.js';
import { ServiceError } from '../query-service.js';
import { inScopeObjects } from './exposure-report.js';
import { openToWorldSpans } from './outside-coverage.js';
import { describePorts, namespaceOfPeer, type PairSpan } from './pair-timeline.js';
import type { PeriodData } from './period-data.js';
import { mergeSpans, type IdSpan, type Period } from './period.js';
import type { Cell, ReportScope } from './report.js';
import type { ReportBody } from './report-body.js';

/** What the controls are checked against; every field optional. */
export interface ControlOptions {
  /** Also require default-deny egress in every namespace. */
  requireEgressDeny?: boolean;
  /** Namespaces (glob patterns) exempt from the per-namespace controls, e.g. kube-system. */
  exemptNamespaces?: string[];
  /** Workloads (glob patterns over workload ids, `ingress/*`) allowed to be open to 0.0.0.0/0. */
  worldAllowList?: string[];
  /** Labelled zones: namespaces matching `selector` may be reached only from themselves and `allowFrom`. */
  zones?: { selector: string; allowFrom?: string[] }[];
}

interface Failure {
  object: string;
  spans: IdSpan[];
  detail: string;
}

interface ControlResult {
  id: string;
  title: string;
  failures: Failure[];
}

/** Parses control options from a definition's or a request's JSON, naming the bad field. */
export function parseControlOptions(raw: unknown): ControlOptions {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ServiceError('BAD_USER_INPUT', 'options: expected an object');
  const o = raw as Record<string, unknown>;
  const strings = (name: string): string[] | undefined => {
    const v = o[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      throw new ServiceError('BAD_USER_INPUT', `options.${name}: expected a list of strings`);
    }
    return v as string[];
  };
  const zones = o.zones;
  if (zones !== undefined && (!Array.isArray(zones) || zones.some((z) => typeof z?.selector !== 'string'))) {
    throw new ServiceError('BAD_USER_INPUT', 'options.zones: expected a list of {selector, allowFrom}');
  }
  const parsedZones = (zones as { selector: string; allowFrom?: unknown }[] | undefined)?.map((z, i) => {
    try {
      parseSelectorText(z.selector);
    } catch (e) {
      throw new ServiceError(
        'BAD_USER_INPUT',
        `options.zones[${i}].selector ${JSON.stringify(z.selector)}: ${(e as Error).message}`,
      );
    }
    if (z.allowFrom !== undefined && (!Array.isArray(z.allowFrom) || z.allowFrom.some((x) => typeof x !== 'string'))) {
      throw new ServiceError('BAD_USER_INPUT', `options.zones[${i}].allowFrom: expected a list of namespaces`);
    }
    return { selector: z.selector, allowFrom: (z.allowFrom as string[] | undefined) ?? [] };
  });
  return {
    requireEgressDeny: o.requireEgressDeny === true,
    ...(strings('exemptNamespaces') ? { exemptNamespaces: strings('exemptNamespaces')! } : {}),
    ...(strings('worldAllowList') ? { worldAllowList: strings('worldAllowList')! } : {}),
    ...(parsedZones ? { zones: parsedZones } : {}),
  };
}

type PolicyBody = {
  spec?: {
    podSelector?: { matchLabels?: object; matchExpressions?: unknown[] };
    policyTypes?: string[];
    ingress?: unknown[];
    egress?: unknown[];
  };
};

/**
 * A NetworkPolicy that selects every pod of its namespace and allows nothing in `direction`:
 * an empty podSelector, the direction among its policyTypes (Ingress is implied when
 * policyTypes is absent; Egress only when egress rules are present, which then allow something),
 * and no rules for it.
 */
export function isDefaultDeny(body: unknown, direction: 'Ingress' | 'Egress'): boolean {
  const spec = (body as PolicyBody).spec ?? {};
  const sel = spec.podSelector ?? {};
  const selectsAll = Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
  const types = spec.policyTypes ?? (direction === 'Ingress' ? ['Ingress'] : []);
  const rules = direction === 'Ingress' ? spec.ingress : spec.egress;
  return selectsAll && types.includes(direction) && (rules === undefined || rules === null || rules.length === 0);
}

/** Spans (within the namespace's life) where `holds` was false, sweeping the versions' boundaries. */
function failingSpans(
  period: Period,
  life: readonly IdSpan[],
  policies: readonly VersionSpan[],
  holds: (active: VersionSpan[]) => boolean,
): IdSpan[] {
  const points = new Set<number>();
  for (const s of [...life.map((l) => ({ validFrom: l.from, validTo: l.to })), ...policies]) {
    points.add(Math.max(s.validFrom, period.first.id));
    if (s.validTo !== null && s.validTo <= period.last.id) points.add(s.validTo);
  }
  const sorted = [...points].filter((p) => p <= period.last.id).sort((a, b) => a - b);
  const failing: IdSpan[] = [];
  sorted.forEach((p, i) => {
    const alive = life.some((l) => l.from <= p && (l.to === null || l.to > p));
    if (!alive) return;
    const active = policies.filter((v) => v.validFrom <= p && (v.validTo === null || v.validTo > p));
    if (!holds(active)) failing.push({ from: p, to: sorted[i + 1] ?? null });
  });
  return mergeSpans(failing);
}

/**
 * Pass/fail per control, each judged at every snapshot in force during the period: every
 * namespace has a NetworkPolicy (CIS Kubernetes Benchmark 5.3.2); every namespace has
 * default-deny ingress (and egress, when asked); nothing open to 0.0.0.0/0 but the allow-list;
 * labelled zones reachable only from allowed namespaces. A control fails if it failed at any
 * time; the first failure is named.
 */
export async function controlsReport(
  data: PeriodData,
  scope: ReportScope,
  options: ControlOptions,
): Promise<ReportBody> {
  const period = data.period;
  const { workloads, namespaces } = await data.scopedWorkloads(scope);
  const [nsSpans, policySpans] = await Promise.all([
    data.objectSpans(['Namespace']),
    data.objectSpans(['NetworkPolicy']),
  ]);
  const exempt = picomatch(options.exemptNamespaces ?? [], { dot: true });
  const lives = new Map<string, IdSpan[]>();
  const labelsOf = new Map<string, Record<string, string>[]>();
  for (const v of nsSpans) {
    if (!namespaces.has(v.key)) continue;
    lives.set(v.key, [...(lives.get(v.key) ?? []), { from: v.validFrom, to: v.validTo }]);
    labelsOf.set(v.key, [...(labelsOf.get(v.key) ?? []), (v.body as { labels?: Record<string, string> }).labels ?? {}]);
  }
  const policiesIn = new Map<string, VersionSpan[]>();
  for (const p of policySpans) {
    const ns = p.key.split('/')[0]!;
    policiesIn.set(ns, [...(policiesIn.get(ns) ?? []), p]);
  }
  const checked = [...lives.keys()].filter((ns) => !exempt(ns)).sort();

  const perNamespace = (holds: (active: VersionSpan[]) => boolean, detail: string): Failure[] =>
    checked.flatMap((ns) => {
      const spans = failingSpans(period, mergeSpans(lives.get(ns)!), policiesIn.get(ns) ?? [], holds);
      return spans.length > 0 ? [{ object: `Namespace ${ns}`, spans, detail }] : [];
    });

  const results: ControlResult[] = [
    {
      id: 'CIS-5.3.2',
      title: 'Every namespace has a NetworkPolicy (CIS Kubernetes Benchmark 5.3.2)',
      failures: perNamespace((active) => active.length > 0, 'no NetworkPolicy'),
    },
    {
      id: 'default-deny-ingress',
      title: 'Every namespace has a default-deny ingress NetworkPolicy',
      failures: perNamespace(
        (active) => active.some((p) => isDefaultDeny(p.body, 'Ingress')),
        'no default-deny ingress policy',
      ),
    },
  ];
  if (options.requireEgressDeny) {
    results.push({
      id: 'default-deny-egress',
      title: 'Every namespace has a default-deny egress NetworkPolicy',
      failures: perNamespace(
        (active) => active.some((p) => isDefaultDeny(p.body, 'Egress')),
        'no default-deny egress policy',
      ),
    });
  }

  const ids = [...workloads.keys()].sort();
  const incoming = await data.incoming(ids);
  const byDst = new Map<string, PairSpan[]>();
  for (const s of incoming) byDst.set(s.dst, [...(byDst.get(s.dst) ?? []), s]);
  const allowWorld = picomatch(options.worldAllowList ?? [], { dot: true });
  results.push({
    id: 'no-world-exposure',
    title: `No workload reachable from 0.0.0.0/0${options.worldAllowList?.length ? ` except ${options.worldAllowList.join(', ')}` : ''}`,
    failures: ids.flatMap((id) => {
      if (allowWorld(id)) return [];
      const spans = openToWorldSpans((byDst.get(id) ?? []).filter((s) => s.src.startsWith('ip:')));
      return spans.length > 0 ? [{ object: `Workload ${id}`, spans, detail: 'open to every IPv4 address' }] : [];
    }),
  });

  for (const zone of options.zones ?? []) {
    const sel = parseSelectorText(zone.selector);
    const zoneNamespaces = new Set(
      [...labelsOf].filter(([, versions]) => versions.some((l) => sel.matches(l))).map(([ns]) => ns),
    );
    const allowed = new Set(zone.allowFrom ?? []);
    const failures: Failure[] = [];
    for (const id of ids) {
      const ns = workloads.get(id)!.namespace;
      if (!zoneNamespaces.has(ns)) continue;
      for (const s of byDst.get(id) ?? []) {
        const from = namespaceOfPeer(s.src);
        if (from === ns || (from !== undefined && allowed.has(from))) continue;
        failures.push({
          object: `Workload ${id}`,
          spans: [s.span],
          detail: `reachable from ${s.src} on ${describePorts(s.allowed)}`,
        });
      }
    }
    results.push({
      id: `segmentation:${zone.selector}`,
      title: `Namespaces labelled ${zone.selector} reachable only from themselves${allowed.size ? ` and ${[...allowed].join(', ')}` : ''}`,
      failures,
    });
  }

  const firstFailure = (r: ControlResult) => {
    const first = Math.min(...r.failures.flatMap((f) => f.spans.map((s) => s.from)));
    return r.failures.length === 0 ? null : period.startOf(first).toISOString();
  };
  const controlRows: Cell[][] = results.map((r) => [
    r.id,
    r.title,
    r.failures.length === 0 ? 'pass' : 'fail',
    firstFailure(r),
    r.failures.length,
  ]);
  const failureRows: Cell[][] = results.flatMap((r) =>
    r.failures.flatMap((f) =>
      f.spans.map((s) => {
        const t = period.times(s);
        return [r.id, f.object, f.detail, t.start, t.end] as Cell[];
      }),
    ),
  );
  return {
    title: `Controls for ${data.cluster.name}`,
    summary: [
      { label: 'controls', value: results.length },
      { label: 'passed throughout', value: results.filter((r) => r.failures.length === 0).length },
      { label: 'failed at some time', value: results.filter((r) => r.failures.length > 0).length },
      { label: 'namespaces checked', value: checked.length },
      { label: 'workloads checked', value: ids.length },
    ],
    tables: [
      {
        name: 'controls',
        title: 'Controls',
        columns: ['control', 'requirement', 'result', 'first failed at', 'failing objects'],
        rows: controlRows,
      },
      {
        name: 'failures',
        title: 'Failing objects',
        columns: ['control', 'object', 'why', 'failing from', 'until'],
        rows: failureRows,
      },
    ],
    qualifications: [
      'Default-deny means a NetworkPolicy with an empty podSelector, the direction in its policyTypes and no rules for it; deny expressed through admin tiers is not counted.',
      ...(options.exemptNamespaces?.length
        ? [`Namespaces exempt from the per-namespace controls: ${options.exemptNamespaces.join(', ')}.`]
        : []),
      'Zone membership: a namespace whose labels matched the zone selector at any time in the period is judged as in the zone throughout.',
    ],
    keepObject: inScopeObjects(namespaces),
  };
}
