import { ServiceError } from '../query-service.js';
import type { PeriodSnapshot } from '../../../store/report-history.repository.js';
import type { SnapshotRow } from '../../../store/snapshots.repository.js';

/** An interval of snapshot ids a version or a state held: [from, to), `to` null while it still held at the end. */
export interface IdSpan {
  from: number;
  to: number | null;
}

/** The same interval as times: `end` null when it still held when the period ended. */
export interface TimeSpan {
  start: string;
  end: string | null;
}

/**
 * A report's period, resolved against history: the snapshot in force when it began (`first`),
 * the last one taken in it (`last`), and every snapshot between. Between two snapshots nothing
 * was observed, so "throughout" means at every snapshot in force during the period.
 */
export class Period {
  /** Where the history the report reads begins: `from`, or the first snapshot when history starts later. */
  readonly coveredFrom: Date;
  private readonly timeById: Map<number, Date>;

  constructor(
    readonly from: Date,
    readonly to: Date,
    readonly first: SnapshotRow,
    readonly last: SnapshotRow,
    /** Every snapshot taken in the period (failed attempts too), and `first` when taken before it. */
    readonly snapshots: readonly PeriodSnapshot[],
  ) {
    this.coveredFrom = first.takenAt > from ? first.takenAt : from;
    this.timeById = new Map(snapshots.map((s) => [s.id, s.takenAt]));
  }

  /** Ids of snapshots that changed content in (first, last]: the points states change at. */
  get changePoints(): number[] {
    return this.snapshots
      .filter((s) => s.status === 'changed' && s.id > this.first.id && s.id <= this.last.id)
      .map((s) => s.id);
  }

  /** Whether a span (in snapshot ids) was in force at some point of the period. */
  overlaps(span: IdSpan): boolean {
    return span.from <= this.last.id && (span.to === null || span.to > this.first.id);
  }

  /** When a state that began at snapshot `id` began, as far as the period is concerned. */
  startOf(id: number): Date {
    if (id <= this.first.id) return this.coveredFrom;
    const at = this.timeById.get(id);
    if (!at) throw new Error(`snapshot ${id} is not in the period`);
    return at;
  }

  /** A span as times, clipped to the period. */
  times(span: IdSpan): TimeSpan {
    return {
      start: this.startOf(span.from).toISOString(),
      end: span.to === null || span.to > this.last.id ? null : this.startOf(span.to).toISOString(),
    };
  }

  /** Whether a span covers the whole period. */
  throughout(span: IdSpan): boolean {
    return span.from <= this.first.id && (span.to === null || span.to > this.last.id);
  }
}

/** [from, to] as given: from before to, both real times. */
export function checkPeriod(from: Date, to: Date): void {
  if (from.getTime() >= to.getTime()) {
    throw new ServiceError('BAD_USER_INPUT', `from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  }
}

/** Merges sorted-or-not spans into disjoint ones (touching spans join). */
export function mergeSpans(spans: readonly IdSpan[]): IdSpan[] {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  const out: IdSpan[] = [];
  for (const s of sorted) {
    const prev = out[out.length - 1];
    if (prev && (prev.to === null || s.from <= prev.to)) {
      if (prev.to !== null && (s.to === null || s.to > prev.to)) prev.to = s.to;
    } else out.push({ ...s });
  }
  return out;
}

/** The intersection of two spans, or undefined. */
export function intersectSpans(a: IdSpan, b: IdSpan): IdSpan | undefined {
  const from = Math.max(a.from, b.from);
  const to = a.to === null ? b.to : b.to === null ? a.to : Math.min(a.to, b.to);
  return to !== null && to <= from ? undefined : { from, to };
}
