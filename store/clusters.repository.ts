import type { Db } from './db/prisma-client.js';

export type ClusterSource =
  { kind: 'kube'; context?: string; inCluster?: boolean } | { kind: 'manifests'; dir: string };

export interface ClusterRecord {
  id: number;
  name: string;
  source: ClusterSource;
  everySeconds: number;
  paused: boolean;
  createdAt: Date;
}

type Row = Awaited<ReturnType<Db['cluster']['findFirstOrThrow']>>;

function toRecord(row: Row): ClusterRecord {
  const source: ClusterSource =
    row.sourceKind === 'manifests'
      ? { kind: 'manifests', dir: row.manifestsDir ?? '' }
      : {
          kind: 'kube',
          ...(row.context ? { context: row.context } : {}),
          ...(row.inCluster ? { inCluster: true } : {}),
        };
  return {
    id: row.id,
    name: row.name,
    source,
    everySeconds: row.everySeconds,
    paused: row.paused,
    createdAt: row.createdAt,
  };
}

export class ClusterExistsError extends Error {}

/** Registered clusters. Removed ones are hidden but keep their history unless purged. */
export class ClustersRepository {
  constructor(private readonly db: Db) {}

  async add(name: string, source: ClusterSource, everySeconds: number): Promise<ClusterRecord> {
    if (await this.findByName(name)) throw new ClusterExistsError(`cluster ${name} is already registered`);
    const row = await this.db.cluster.create({
      data: {
        name,
        everySeconds,
        sourceKind: source.kind,
        context: source.kind === 'kube' ? (source.context ?? null) : null,
        inCluster: source.kind === 'kube' && source.inCluster === true,
        manifestsDir: source.kind === 'manifests' ? source.dir : null,
      },
    });
    return toRecord(row);
  }

  async list(): Promise<ClusterRecord[]> {
    const rows = await this.db.cluster.findMany({ where: { removedAt: null }, orderBy: { name: 'asc' } });
    return rows.map(toRecord);
  }

  async findByName(name: string): Promise<ClusterRecord | undefined> {
    const row = await this.db.cluster.findFirst({ where: { name, removedAt: null } });
    return row ? toRecord(row) : undefined;
  }

  async findById(id: number): Promise<ClusterRecord | undefined> {
    const row = await this.db.cluster.findFirst({ where: { id, removedAt: null } });
    return row ? toRecord(row) : undefined;
  }

  async setPaused(id: number, paused: boolean): Promise<void> {
    await this.db.cluster.update({ where: { id }, data: { paused } });
  }

  /** Hides the cluster; with `purge`, deletes it and all its history. */
  async remove(id: number, purge: boolean): Promise<void> {
    if (!purge) {
      await this.db.cluster.update({ where: { id }, data: { removedAt: new Date() } });
      return;
    }
    await this.db.$transaction([
      this.db.exposureEvent.deleteMany({ where: { clusterId: id } }),
      this.db.objectVersion.deleteMany({ where: { clusterId: id } }),
      this.db.reachVersion.deleteMany({ where: { clusterId: id } }),
      this.db.currentPod.deleteMany({ where: { clusterId: id } }),
      this.db.cluster.delete({ where: { id } }),
    ]);
  }
}
