/** One row of the results table, as a child process reports it to bench/run.ts. */
export interface Measurement {
  name: string;
  pods?: number;
  namespaces?: number;
  policies?: number;
  classes?: number;
  runs?: number;
  /** Median wall time of what the row's target is about. */
  ms?: number;
  /** 90th percentile of the same wall times (startup rows). */
  p90Ms?: number;
  /** `node -e 0` in the same run, median and p90: what startup rows are measured against. */
  baselineMs?: number;
  baselineP90Ms?: number;
  /** CPU time (all threads) of the same work, median. */
  cpuMs?: number;
  /** Part of `ms` spent in buildCluster (normalizing raw objects). */
  buildMs?: number;
  /** Of all the machine's CPU time during the timed runs, the percentage the hypervisor stole: wall times are only comparable at low steal. */
  stealPercent?: number;
  peakRssBytes?: number;
  /** Peak RSS before the engine ran: the generated input alone. */
  inputRssBytes?: number;
  connlistMs?: number;
  /** CPU time (all threads) of the same listing: steadier than its wall time on a shared machine. */
  connlistCpuMs?: number;
  connections?: number;
  /** False when the enumeration hit its time budget: `connections` is then a lower bound. */
  connlistComplete?: boolean;
  notes?: string[];
  /** Set by run.ts when a child fails; the row then reads FAIL with this reason. */
  error?: string;
}

const PREFIX = 'RESULT ';

/** Children print their measurement as one prefixed JSON line; everything else on stdout is ignored. */
export function reportMeasurement(m: Measurement): void {
  process.stdout.write(`${PREFIX}${JSON.stringify(m)}\n`);
}

export function parseMeasurement(stdout: string): Measurement | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(PREFIX));
  return line ? (JSON.parse(line.slice(PREFIX.length)) as Measurement) : undefined;
}
