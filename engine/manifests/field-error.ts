/** A problem in one field of one object; build-cluster adds the file, document and object. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export type Obj = Record<string, unknown>;

export function isRecord(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An optional mapping field: absent/null is `{}`, anything else but a mapping is an error. */
export function optionalRecord(v: unknown, field: string): Obj {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) throw new FieldError(field, 'must be a mapping');
  return v;
}

/** An optional list field: absent/null is `[]`. */
export function optionalList(v: unknown, field: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FieldError(field, 'must be a list');
  return v;
}

/** Labels are strings; YAML turns `version: 2` into a number, which kubectl would reject. */
export function labelMap(v: unknown, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(optionalRecord(v, field))) {
    if (typeof value !== 'string')
      throw new FieldError(`${field}.${k}`, 'label values must be strings (quote them in YAML)');
    out[k] = value;
  }
  return out;
}

export function requiredName(meta: Obj): string {
  const name = meta.name;
  if (typeof name !== 'string' || name === '') throw new FieldError('metadata.name', 'is required');
  return name;
}

/** Namespaced objects without metadata.namespace land in `default`, as with `kubectl apply`. */
export function namespaceOf(meta: Obj): string {
  const ns = meta.namespace;
  if (ns === undefined || ns === null || ns === '') return 'default';
  if (typeof ns !== 'string') throw new FieldError('metadata.namespace', 'must be a string');
  return ns;
}
