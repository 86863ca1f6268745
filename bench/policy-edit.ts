import type { Body } from './generate/params.js';

export interface PolicyEdit {
  index: number;
  before: Body;
  after: Body;
  description: string;
}

type Meta = { name: string; namespace: string };
const metaOf = (body: Body) => body.metadata as Meta;

/**
 * The edit of the "one edit" case: one more port on a frontend→api allow rule. Picked in a
 * namespace without an allow-same-namespace policy, where frontend does not already reach
 * api on every port, so the edit does change the answer.
 */
export function addPortToAllowRule(bodies: readonly Body[], port = 9091): PolicyEdit {
  const openNamespaces = new Set(
    bodies
      .filter((b) => b.kind === 'NetworkPolicy' && metaOf(b).name.startsWith('allow-same-namespace'))
      .map((b) => metaOf(b).namespace),
  );
  const index = bodies.findIndex(
    (b) =>
      b.kind === 'NetworkPolicy' &&
      metaOf(b).name.startsWith('allow-frontend-to-api') &&
      !openNamespaces.has(metaOf(b).namespace),
  );
  if (index < 0) throw new Error('no allow-frontend-to-api policy to edit');
  const before = bodies[index]!;
  const after = structuredClone(before);
  const rule = (after.spec as { ingress: { ports: unknown[] }[] }).ingress[0]!;
  rule.ports.push({ protocol: 'TCP', port });
  const { namespace, name } = metaOf(before);
  return { index, before, after, description: `added TCP ${port} to NetworkPolicy ${namespace}/${name}` };
}
