import type pg from 'pg';
import { parseManifestText } from '../../../engine/index.js';
import { ClustersRepository } from '../../../store/clusters.repository.js';
import { createPool } from '../../../store/db/pool.js';
import { storeSnapshot } from '../../../worker/snapshot/store-snapshot.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

/**
 * A small history whose answers are known by construction (NOW is 2025-06-01T12:00Z):
 *
 * - day -20: web/frontend open to 0.0.0.0/0 on 443; db isolated (default deny) and open to web
 *   on 5432; tools has no policy at all.
 * - day -10: db/debug-access lets tools into postgres on 5432.
 * - day -5: debug-access deleted; tools gets a default-deny policy.
 * - day -1: nothing changed (an unchanged snapshot); day -3 a collection failed.
 *
 * Reports run over day -15 → now: tools' access and tools' missing policy held for part of it only.
 */
export const NOW = new Date('2025-06-01T12:00:00.000Z');
export const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

export const FRONTEND = 'web/frontend[Deployment]';
export const POSTGRES = 'db/postgres[StatefulSet]';
export const DEBUG = 'tools/debug[Deployment]';

const workload = (kind: string, ns: string, name: string, port: number) => `
apiVersion: apps/v1
kind: ${kind}
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
      - name: c
        image: x
        ports: [{ containerPort: ${port} }]
`;

const BASE = `
apiVersion: v1
kind: Namespace
metadata: { name: web, labels: { zone: public } }
---
apiVersion: v1
kind: Namespace
metadata: { name: db, labels: { pci: "true" } }
---
apiVersion: v1
kind: Namespace
metadata: { name: tools }
---
${workload('Deployment', 'web', 'frontend', 443)}
---
${workload('StatefulSet', 'db', 'postgres', 5432)}
---
${workload('Deployment', 'tools', 'debug', 8080)}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: frontend-public, namespace: web }
spec:
  podSelector: { matchLabels: { app: frontend } }
  ingress:
  - from: [{ ipBlock: { cidr: 0.0.0.0/0 } }]
    ports: [{ port: 443 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: db }
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: postgres-from-web, namespace: db }
spec:
  podSelector: { matchLabels: { app: postgres } }
  ingress:
  - from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: web } } }]
    ports: [{ port: 5432 }]
`;

const DEBUG_ACCESS = `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: debug-access, namespace: db }
spec:
  podSelector: { matchLabels: { app: postgres } }
  ingress:
  - from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: tools } } }]
    ports: [{ port: 5432 }]
`;

const TOOLS_DENY = `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: tools }
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

export interface ReportHistory {
  database: TestDatabase;
  pool: pg.Pool;
  clusterId: number;
  snapshots: Record<'day20' | 'day10' | 'day5' | 'day1', number>;
  close(): Promise<void>;
}

function objects(text: string) {
  const parsed = parseManifestText(text, 'history.yaml');
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  return parsed.objects;
}

export async function seedReportHistory(): Promise<ReportHistory> {
  const database = await createTestDatabase();
  const pool = createPool(database.url);
  const { clusterId, snapshots } = await storeReportHistory(pool);
  return {
    database,
    pool,
    clusterId,
    snapshots,
    close: async () => {
      await pool.end();
      await database.drop();
    },
  };
}

/** Registers cluster `prod` and stores the history into `pool`'s database. */
export async function storeReportHistory(pool: pg.Pool): Promise<Pick<ReportHistory, 'clusterId' | 'snapshots'>> {
  const clusters = new ClustersRepository(pool);
  const cluster = await clusters.add('prod', { kind: 'manifests', dir: '/nowhere' }, 86_400);
  const store = (text: string, d: number) => storeSnapshot(pool, cluster.id, objects(text), { takenAt: daysAgo(d) });
  const day20 = (await store(BASE, 20)).snapshotId;
  const day10 = (await store(BASE + DEBUG_ACCESS, 10)).snapshotId;
  const day5 = (await store(BASE + TOOLS_DENY, 5)).snapshotId;
  await pool.query(
    `INSERT INTO snapshot (cluster_id, taken_at, status, error, duration_ms) VALUES ($1, $2, 'failed', 'connection refused', 5)`,
    [cluster.id, daysAgo(3)],
  );
  const day1 = (await store(BASE + TOOLS_DENY, 1)).snapshotId;
  return { clusterId: cluster.id, snapshots: { day20, day10, day5, day1 } };
}
