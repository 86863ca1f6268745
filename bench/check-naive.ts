/**
 * Correctness on the small case: the engine against the naive per-pod evaluator
 * (test/support/naive-evaluator.ts) on random pod pairs and outside addresses, a few ports each.
 *   node --import tsx bench/check-naive.ts [PAIRS]
 * Exits 1 on any disagreement. Pods of one workload differ only in labels no selector reads,
 * so a workload answer must equal the answer for any one of its pods.
 */
import { analyze, type Protocol } from '../engine/index.js';
import { buildNaiveModel, naiveAllows, outsidePeerOf, type Endpoint } from '../test/support/naive-evaluator.js';
import { Prng } from './generate/prng.js';
import { scenario } from './generate/scenarios.js';
import { reportMeasurement } from './measurement.js';
import { scenarioBodies } from './scenario-input.js';
import { workloadIdsOfPods } from './workload-ids.js';

const SCENARIO = 'small';
const pairs = Number(process.argv[2] ?? '20000');
/** Ports the generated policies and containers use, range edges, and ports nothing opens. */
const PORTS: [Protocol, number][] = [
  ['UDP', 53],
  ['TCP', 53],
  ['TCP', 80],
  ['TCP', 443],
  ['TCP', 3000],
  ['TCP', 5432],
  ['TCP', 6379],
  ['TCP', 8000],
  ['TCP', 8080],
  ['TCP', 8999],
  ['TCP', 9090],
  ['TCP', 9102],
  ['TCP', 30000],
  ['TCP', 32768],
  ['SCTP', 8080],
];
const OUTSIDE = ['8.8.8.8', '52.1.2.3', '34.100.0.1', '140.82.112.5', '10.200.0.1', '192.168.1.1', '2001:db8::1'];
const OUTSIDE_PODS = 300;
const MAX_REPORTED = 10;

const bodies = scenarioBodies(SCENARIO);
const reach = analyze(bodies);
const naive = buildNaiveModel(bodies);
const workloadOf = workloadIdsOfPods(bodies);
const pods = [...workloadOf.keys()];
const peerIds = reach.peerIds();
const rng = new Prng(7);

let compared = 0;
let allowedCount = 0;
const wrong: string[] = [];
const compare = (srcId: string, src: Endpoint, dstId: string, dst: Endpoint) => {
  const allowed = reach.allowed(srcId, dstId);
  for (const [protocol, port] of PORTS) {
    compared++;
    const expected = naiveAllows(naive, src, dst, protocol, port);
    if (expected) allowedCount++;
    if (allowed.allows(protocol, port) === expected) continue;
    const label = (e: Endpoint) => ('pod' in e ? e.pod : e.ip);
    wrong.push(
      `${label(src)} -> ${label(dst)} ${protocol}/${port}: naive ${expected}, engine ${!expected} (${srcId} -> ${dstId})`,
    );
  }
};

for (let i = 0; i < pairs; i++) {
  const src = rng.pick(pods);
  const dst = rng.pick(pods);
  if (src !== dst) compare(workloadOf.get(src)!, { pod: src }, workloadOf.get(dst)!, { pod: dst });
}

for (const ip of OUTSIDE) {
  const peer = outsidePeerOf(peerIds, ip);
  for (let i = 0; i < OUTSIDE_PODS; i++) {
    const pod = rng.pick(pods);
    compare(peer, { ip }, workloadOf.get(pod)!, { pod });
    compare(workloadOf.get(pod)!, { pod }, peer, { ip });
  }
}

for (const line of wrong.slice(0, MAX_REPORTED)) console.error(`disagreement: ${line}`);
const params = scenario(SCENARIO);
reportMeasurement({
  name: 'check',
  pods: params.pods,
  namespaces: params.namespaces,
  policies: params.policies,
  notes: [
    `${compared - wrong.length}/${compared} samples agree with the naive evaluator ` +
      `(${pairs} random pod pairs and ${OUTSIDE.length}×${OUTSIDE_PODS}×2 pod↔outside pairs, ${PORTS.length} protocol/ports each; ${allowedCount} of them allowed)`,
  ],
  ...(wrong.length ? { error: `${wrong.length} disagreements, e.g. ${wrong[0]}` } : {}),
});
process.exitCode = wrong.length ? 1 : 0;
