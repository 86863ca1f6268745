import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/**
 * A manifests directory big enough that storing its snapshot takes a noticeable moment (so a
 * fault can land inside the transaction), small enough for CI: `namespaces` × `podsEach` Pods,
 * one Service and one same-namespace-only NetworkPolicy per namespace. `version` relabels one
 * pod per namespace, so each version's snapshot is `changed` (a small change: stored quickly).
 */
export interface FaultManifests {
  dir: string;
  write(version: number): void;
  remove(): void;
}

export function faultManifests(namespaces = 20, podsEach = 60): FaultManifests {
  const dir = mkdtempSync(join(tmpdir(), 'reachlog-fault-manifests-'));
  const write = (version: number) => {
    const docs: unknown[] = [];
    for (let n = 0; n < namespaces; n++) {
      const ns = `team-${n}`;
      docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: ns } } });
      for (let p = 0; p < podsEach; p++) {
        const app = `app-${p % 12}`;
        docs.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `pod-${p}`,
            namespace: ns,
            labels: { app, tier: `t${p % 3}`, ...(p === 0 ? { version: String(version) } : {}) },
          },
          spec: { containers: [{ name: 'main', image: 'app:1', ports: [{ containerPort: 8080 }] }] },
          status: {
            phase: 'Running',
            podIP: `10.${n}.${p >> 8}.${p & 255}`,
            podIPs: [{ ip: `10.${n}.${p >> 8}.${p & 255}` }],
          },
        });
      }
      docs.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'front', namespace: ns },
        spec: { selector: { app: 'app-0' }, ports: [{ port: 80, targetPort: 8080 }] },
      });
      docs.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'same-team', namespace: ns },
        spec: {
          podSelector: { matchLabels: { tier: 't0' } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 8080 }] }],
        },
      });
    }
    writeFileSync(join(dir, 'cluster.yaml'), docs.map((d) => stringify(d)).join('---\n'));
  };
  write(0);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
