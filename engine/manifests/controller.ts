import type { SourceRef } from '../model/source.js';
import {
  FieldError,
  labelMap,
  namespaceOf,
  NO_FIELDS,
  optionalRecord,
  Problems,
  requiredName,
  type Obj,
} from './field-error.js';
import { controllerOwner, type OwnerRef } from './owner.js';
import { NO_POD_SPEC, readPodSpec, type PodSpecFacts } from './pod-spec.js';

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

const NO_TEMPLATE = Object.freeze({ template: NO_FIELDS, field: 'spec.template' });

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

/** A controller's pod template, every problem of it reported (thrown together). */
export function readController(body: Obj, source: SourceRef): ControllerFacts {
  const kind = body.kind as string;
  // Readers and their arguments, not closures: controllers are met by the ten thousand.
  const problems = new Problems();
  const meta = problems.read(NO_FIELDS, optionalRecord, body.metadata, 'metadata');
  const namespace = problems.read('', namespaceOf, meta);
  const name = problems.read('', requiredName, meta);
  const owner = problems.read(undefined, controllerOwner, meta);
  const { template, field } = problems.read(
    NO_TEMPLATE,
    templateOf,
    kind,
    problems.read(NO_FIELDS, optionalRecord, body.spec, 'spec'),
  );
  const templateMeta = problems.read(NO_FIELDS, optionalRecord, template.metadata, `${field}.metadata`);
  const labels = problems.read(
    NO_FIELDS as Record<string, string>,
    labelMap,
    templateMeta.labels,
    `${field}.metadata.labels`,
  );
  if (template.spec == null) problems.add(new FieldError(`${field}.spec`, 'is required'));
  const spec = problems.read(
    NO_POD_SPEC,
    readPodSpec,
    problems.read(NO_FIELDS, optionalRecord, template.spec, `${field}.spec`),
    `${field}.spec`,
  );
  return problems.done({ namespace, name, kind, owner, template: { labels, ...spec }, source });
}
