import type { SourceRef } from '../model/source.js';
import { FieldError, labelMap, namespaceOf, optionalRecord, requiredName, type Obj } from './field-error.js';
import { controllerOwner, type OwnerRef } from './owner.js';
import { readPodSpec, type PodSpecFacts } from './pod-spec.js';

export const CONTROLLER_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
] as const;

export interface ControllerFacts {
  namespace: string;
  name: string;
  kind: string;
  owner?: OwnerRef;
  /** The pod template: stands for the workload's pods when none is in the input. */
  template: PodSpecFacts & { labels: Record<string, string> };
  source: SourceRef;
}

function templateOf(kind: string, spec: Obj): { template: Obj; field: string } {
  if (kind === 'CronJob') {
    const jobSpec = optionalRecord(optionalRecord(spec.jobTemplate, 'spec.jobTemplate').spec, 'spec.jobTemplate.spec');
    return {
      template: optionalRecord(jobSpec.template, 'spec.jobTemplate.spec.template'),
      field: 'spec.jobTemplate.spec.template',
    };
  }
  return { template: optionalRecord(spec.template, 'spec.template'), field: 'spec.template' };
}

export function readController(body: Obj, source: SourceRef): ControllerFacts {
  const kind = body.kind as string;
  const meta = optionalRecord(body.metadata, 'metadata');
  const { template, field } = templateOf(kind, optionalRecord(body.spec, 'spec'));
  if (template.spec == null) throw new FieldError(`${field}.spec`, 'is required');
  const templateMeta = optionalRecord(template.metadata, `${field}.metadata`);
  return {
    namespace: namespaceOf(meta),
    name: requiredName(meta),
    kind,
    owner: controllerOwner(meta),
    template: {
      labels: labelMap(templateMeta.labels, `${field}.metadata.labels`),
      ...readPodSpec(optionalRecord(template.spec, `${field}.spec`), `${field}.spec`),
    },
    source,
  };
}
