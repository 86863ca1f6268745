import type { Body } from './generate/params.js';

type Meta = {
  name: string;
  namespace?: string;
  ownerReferences?: { kind: string; name: string; controller?: boolean }[];
};
type Owner = { kind: string; name: string };

const metaOf = (body: Body) => body.metadata as Meta;
const ownerOf = (meta: Meta): Owner | undefined =>
  meta.ownerReferences?.find((r) => r.controller) ?? meta.ownerReferences?.[0];

/**
 * Pod `namespace/name` → the engine's workload id, worked out from the raw objects on their
 * own (not from the engine): follow controller ownerReferences through the objects present
 * (Pod → ReplicaSet → Deployment) and name the topmost one `namespace/name[Kind]`.
 */
export function workloadIdsOfPods(bodies: readonly Body[]): Map<string, string> {
  const owners = new Map<string, Owner | undefined>();
  for (const b of bodies) {
    if (b.kind === 'Pod' || b.kind === 'Namespace') continue;
    const meta = metaOf(b);
    owners.set(`${meta.namespace}/${b.kind}/${meta.name}`, ownerOf(meta));
  }
  const ids = new Map<string, string>();
  for (const b of bodies) {
    if (b.kind !== 'Pod') continue;
    const meta = metaOf(b);
    const ns = meta.namespace ?? 'default';
    let top: Owner = { kind: 'Pod', name: meta.name };
    let next = ownerOf(meta);
    while (next && owners.has(`${ns}/${next.kind}/${next.name}`)) {
      top = next;
      next = owners.get(`${ns}/${next.kind}/${next.name}`);
    }
    ids.set(`${ns}/${meta.name}`, `${ns}/${top.name}[${top.kind}]`);
  }
  return ids;
}
