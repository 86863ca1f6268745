import type { Db } from './db/prisma-client.js';

export interface SnapshotRecord {
  id: number;
  clusterId: number;
  takenAt: Date;
  status: string;
  durationMs: number | null;
  counts: Record<string, unknown> | null;
  problems: string[];
  error: string | null;
  jobId: string | null;
}

type Row = Awaited<ReturnType<Db['snapshot']['findFirstOrThrow']>>;

function toRecord(r: Row): SnapshotRecord {
  return {
    id: r.id,
    clusterId: r.clusterId,
    takenAt: r.takenAt,
    status: r.status,
    durationMs: r.durationMs,
    counts: (r.counts as Record<string, unknown> | null) ?? null,
    problems: (r.problems as string[] | null) ?? [],
    error: r.error,
    jobId: r.jobId,
  };
}

export class SnapshotsRepository {
  constructor(private readonly db: Db) {}

  async latest(clusterId: number, limit = 10): Promise<SnapshotRecord[]> {
    const rows = await this.db.snapshot.findMany({ where: { clusterId }, orderBy: { id: 'desc' }, take: limit });
    return rows.map(toRecord);
  }

  async byJob(clusterId: number, jobId: string): Promise<SnapshotRecord | undefined> {
    const row = await this.db.snapshot.findFirst({ where: { clusterId, jobId }, orderBy: { id: 'desc' } });
    return row ? toRecord(row) : undefined;
  }

  /** A failed attempt is recorded too: "checked at T, could not read it" is an audit fact. */
  async recordFailure(clusterId: number, error: string, durationMs: number, jobId?: string): Promise<SnapshotRecord> {
    const row = await this.db.snapshot.create({
      data: { clusterId, takenAt: new Date(), status: 'failed', error, durationMs, jobId: jobId ?? null },
    });
    return toRecord(row);
  }
}
