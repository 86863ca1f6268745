import { isRecord, optionalList, type Obj } from './field-error.js';

export interface OwnerRef {
  kind: string;
  name: string;
}

/** The managing controller: the ownerReference with `controller: true`, else the first one. */
export function controllerOwner(meta: Obj): OwnerRef | undefined {
  const refs = optionalList(meta.ownerReferences, 'metadata.ownerReferences').filter(isRecord);
  const ref = refs.find((r) => r.controller === true) ?? refs[0];
  if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return { kind: ref.kind, name: ref.name };
}

export function workloadId(namespace: string, name: string, kind: string): string {
  return `${namespace}/${name}[${kind}]`;
}
