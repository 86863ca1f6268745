import { isRecord, optionalList, type Obj } from './field-error.js';

export interface OwnerRef {
  kind: string;
  name: string;
}

/** The managing controller: the ownerReference with `controller: true`, else the first one. */
export function controllerOwner(meta: Obj): OwnerRef | undefined {
  let first: Obj | undefined;
  let controller: Obj | undefined;
  for (const ref of optionalList(meta.ownerReferences, 'metadata.ownerReferences')) {
    if (!isRecord(ref)) continue;
    first ??= ref;
    if (ref.controller === true) {
      controller = ref;
      break;
    }
  }
  const ref = controller ?? first;
  if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return { kind: ref.kind, name: ref.name };
}

export function workloadId(namespace: string, name: string, kind: string): string {
  return `${namespace}/${name}[${kind}]`;
}
