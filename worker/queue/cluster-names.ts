import type { ClustersRepository } from '../../store/clusters.repository.js';

/**
 * How log lines name a cluster: `cluster shop (id 3)`, as people registered it (an id alone
 * means nothing to whoever reads the log on call), with the id for the database. Names are
 * remembered: a cluster is never renamed, and a line about a failure is written when Postgres
 * may be the thing that failed (then the id alone is printed).
 */
export class ClusterNames {
  private readonly names = new Map<number, string>();

  constructor(private readonly clusters: Pick<ClustersRepository, 'findById'>) {}

  /** Called by whoever has the row at hand (the processor), so a later failure line has the name without a query. */
  remember(id: number, name: string): void {
    this.names.set(id, name);
  }

  async label(id: number | undefined): Promise<string> {
    if (id === undefined) return 'cluster (unknown id)';
    let name = this.names.get(id);
    if (name === undefined) {
      name = (await this.clusters.findById(id).catch(() => undefined))?.name;
      if (name !== undefined) this.remember(id, name);
    }
    return name === undefined ? `cluster id ${id}` : `cluster ${name} (id ${id})`;
  }
}
