import type { Namespace } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { labelMap, optionalRecord, Problems, requiredName, type Obj } from './field-error.js';

export const NAME_LABEL = 'kubernetes.io/metadata.name';

/** Every namespace carries its name as a label (set by the API server since Kubernetes 1.21). */
export function namespaceWithName(name: string, labels: Record<string, string> = {}, source?: SourceRef): Namespace {
  return { name, labels: { ...labels, [NAME_LABEL]: name }, source };
}

export function readNamespace(body: Obj, source: SourceRef): Namespace {
  const problems = new Problems();
  const meta = problems.read({}, () => optionalRecord(body.metadata, 'metadata'));
  const name = problems.read('', () => requiredName(meta));
  const labels = problems.read({}, () => labelMap(meta.labels, 'metadata.labels'));
  return problems.done(namespaceWithName(name, labels, source));
}
