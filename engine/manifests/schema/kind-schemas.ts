import { compileKinds, type KindSchemas, type TypeNode } from './field-schema.js';
import { ADMIN_KINDS, ADMIN_TYPES } from './admin-types.js';
import { KUBE_KINDS, KUBE_TYPES } from './kube-types.generated.js';

/** The schemas unknown fields are checked against: the Kubernetes kinds and the admin policy CRDs. */
const SCHEMAS: readonly KindSchemas[] = [
  { kinds: KUBE_KINDS, types: KUBE_TYPES },
  { kinds: ADMIN_KINDS, types: ADMIN_TYPES },
];

const BY_KIND = compileKinds(SCHEMAS);

/** The schema of a kind reachlog reads, by kind name; undefined for kinds it has none for. */
export function schemaOfKind(kind: string): TypeNode | undefined {
  return BY_KIND.get(kind);
}
