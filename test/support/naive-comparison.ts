import ipaddr from 'ipaddr.js';
import { analyze, PROTOCOLS } from '../../engine/index.js';
import type { Body } from './arbitrary-cluster.js';
import { buildNaiveModel, naiveAllows, outsidePeerOf, type Endpoint } from './naive-evaluator.js';

/**
 * The engine against the naive evaluator on one cluster: every ordered pair of pods, and pods
 * with sampled outside addresses, on every protocol and sampled port. Returns readable lines.
 */

// ---- samples derived from the case (random clusters come from test/support/arbitrary-cluster.ts) ----

const SAMPLE_PORTS = [1, 53, 79, 80, 81, 82, 443, 5432, 8080, 8081, 65535];
const SAMPLE_ADDRESSES = ['8.8.8.8', '10.0.5.5', '10.200.1.1', '192.168.1.1', '2001:db8::1'];

interface PodInfo {
  key: string; // namespace/name, the naive evaluator's handle
  id: string; // the engine's workload id
  ips: string[];
  hostNetwork: boolean;
}

function podsOf(bodies: Body[]): PodInfo[] {
  return bodies
    .filter((b) => b.kind === 'Pod')
    .map((b) => {
      const meta = b.metadata as { name: string; namespace: string };
      const status = b.status as { podIP: string } | undefined;
      const key = `${meta.namespace}/${meta.name}`;
      return {
        key,
        id: `${key}[Pod]`,
        ips: status ? [status.podIP] : [],
        hostNetwork: (b.spec as Body).hostNetwork === true,
      };
    });
}

/** Every key `name` anywhere under value (policies are small trees). */
function collect(value: unknown, name: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => collect(v, name, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === name) out.push(v);
      collect(v, name, out);
    }
  }
  return out;
}

/** The fixed sample plus every port a policy or container mentions, and its neighbours. */
function samplePorts(bodies: Body[]): number[] {
  const mentioned = [...collect(bodies, 'port'), ...collect(bodies, 'endPort'), ...collect(bodies, 'containerPort')];
  const ports = new Set(SAMPLE_PORTS);
  for (const p of mentioned) {
    if (typeof p === 'number') [p - 1, p, p + 1].filter((q) => q >= 1 && q <= 65535).forEach((q) => ports.add(q));
  }
  return [...ports].sort((a, b) => a - b);
}

function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return address.toByteArray().reduce((v, b) => (v << 8n) | BigInt(b), 0n);
}

function fromBigInt(value: bigint, bytes: number): string | undefined {
  if (value < 0n || value >= 1n << BigInt(bytes * 8)) return undefined;
  const out: number[] = [];
  for (let i = 0; i < bytes; i++) out.unshift(Number((value >> BigInt(8 * i)) & 255n));
  return ipaddr.fromByteArray(out).toString();
}

/** First and last address of a CIDR and the addresses just outside it. */
function boundaries(cidr: string): string[] {
  const [base, prefix] = ipaddr.parseCIDR(cidr);
  const bytes = base.kind() === 'ipv4' ? 4 : 16;
  const hostBits = BigInt(bytes * 8 - prefix);
  const first = (toBigInt(base) >> hostBits) << hostBits;
  const last = first + (1n << hostBits) - 1n;
  return [first - 1n, first, last, last + 1n].flatMap((v) => fromBigInt(v, bytes) ?? []);
}

function sampleAddresses(bodies: Body[]): string[] {
  const cidrs = collect(bodies, 'ipBlock').flatMap((b) => {
    const block = b as { cidr: string; except?: string[] };
    return [block.cidr, ...(block.except ?? [])];
  });
  // Admin `networks` peers cut the outside world too.
  for (const networks of collect(bodies, 'networks')) cidrs.push(...(networks as string[]));
  return [...new Set([...SAMPLE_ADDRESSES, ...cidrs.flatMap(boundaries)])];
}

// ---- the comparison ----

const MAX_REPORTED = 12;

/** Every disagreement between the engine and the naive evaluator, as readable lines. */
export function disagreements(bodies: Body[], options: { ipBlockMatchesPods: boolean }): string[] {
  const reach = analyze(bodies, options);
  const naive = buildNaiveModel(bodies, options);
  const peerIds = reach.peerIds();
  const allPods = podsOf(bodies);
  const pods = allPods.filter((p) => !p.hostNetwork);
  const ports = samplePorts(bodies);
  // The generator makes only objects the API server would accept; a rejected one is a generator bug.
  const wrong = reach.cluster.errors.map((e) => `engine rejected the input: ${e.message}`);

  const known = new Set(peerIds);
  for (const p of allPods) {
    // hostNetwork pods share the node's network namespace, which NetworkPolicy does not govern.
    if (known.has(p.id) === p.hostNetwork) wrong.push(`${p.id} ${p.hostNetwork ? 'is' : 'is not'} a peer`);
  }

  const compare = (srcId: string, src: Endpoint, dstId: string, dst: Endpoint) => {
    const allowed = reach.allowed(srcId, dstId);
    for (const proto of PROTOCOLS) {
      for (const port of ports) {
        const expected = naiveAllows(naive, src, dst, proto, port);
        if (allowed.allows(proto, port) !== expected && wrong.length < MAX_REPORTED) {
          const label = (e: Endpoint) => ('pod' in e ? e.pod : e.ip);
          wrong.push(
            `${label(src)} -> ${label(dst)} ${proto}/${port}: naive says ${expected}, engine ${!expected} (${srcId} -> ${dstId})`,
          );
        }
      }
    }
  };

  for (const src of pods) {
    for (const dst of pods) {
      if (src !== dst) compare(src.id, { pod: src.key }, dst.id, { pod: dst.key });
    }
  }
  // Where pod IPs count as ipBlock members, an address of a pod is that pod, not the outside world.
  const podIps = new Set(options.ipBlockMatchesPods ? allPods.flatMap((p) => p.ips) : []);
  for (const address of sampleAddresses(bodies).filter((a) => !podIps.has(a))) {
    const outside = outsidePeerOf(peerIds, address);
    for (const p of pods) {
      compare(p.id, { pod: p.key }, outside, { ip: address });
      compare(outside, { ip: address }, p.id, { pod: p.key });
    }
  }
  return wrong;
}
