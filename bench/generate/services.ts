import type { GenContext } from './context.js';
import type { Body } from './params.js';
import type { WorkloadPlan } from './workloads.js';

/** One Service per workload, targeting its named container ports; StatefulSets get a headless one. */
export function serviceObject(plan: WorkloadPlan, ctx: GenContext): Body | undefined {
  if (plan.spec.ports.length === 0) return undefined;
  const headless = plan.spec.controller === 'StatefulSet';
  const clusterIp = headless ? 'None' : ctx.serviceIps.next();
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ctx.meta(plan.name, plan.namespace.name, { app: plan.name }),
    spec: {
      type: 'ClusterIP',
      clusterIP: clusterIp,
      clusterIPs: [clusterIp],
      selector: { app: plan.name },
      ports: plan.spec.ports.map((p) => ({
        name: p.name,
        protocol: p.protocol,
        port: p.name === 'http' ? 80 : p.containerPort,
        targetPort: p.name,
      })),
    },
  };
}
