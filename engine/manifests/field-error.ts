import { labelKeyProblem, labelValueProblem } from '../select/label-syntax.js';

/** A problem in one field of one object; build-cluster adds the file, document and object. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Several problems of one object, each with its field (see Problems). */
export class FieldErrors extends Error {
  constructor(readonly problems: readonly FieldError[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}

/**
 * An object's problems, all of them: as the API server's validation appends to a
 * field.ErrorList instead of returning at the first, each independent part is read on its own,
 * so a bad port does not hide a bad selector before it. The value read alongside is worthless
 * when anything was found, and `done` throws instead of returning it.
 */
export class Problems {
  private readonly found: FieldError[] = [];

  /**
   * Reads one part; an invalid part's problems are kept and `fallback` stands in for it. The
   * part may be a reader and its arguments rather than a closure: readers of objects met 150k
   * times (pods) then allocate nothing per part.
   */
  read<T>(fallback: T, part: () => T): T;
  read<T, A>(fallback: T, part: (a: A) => T, a: A): T;
  read<T, A, B>(fallback: T, part: (a: A, b: B) => T, a: A, b: B): T;
  read<T>(fallback: T, part: (a?: unknown, b?: unknown) => T, a?: unknown, b?: unknown): T {
    try {
      return part(a, b);
    } catch (e) {
      if (e instanceof FieldErrors) this.found.push(...e.problems);
      else if (e instanceof FieldError) this.found.push(e);
      else throw e;
      return fallback;
    }
  }

  /** Reads each item of a list on its own; invalid items are left out, their problems kept. */
  each<T, U>(items: readonly T[], readItem: (item: T, index: number) => U): U[] {
    const out: U[] = [];
    items.forEach((item, i) => {
      const before = this.found.length;
      const value = this.read(undefined, () => readItem(item, i));
      if (this.found.length === before) out.push(value as U);
    });
    return out;
  }

  add(problem: FieldError): void {
    this.found.push(problem);
  }

  get count(): number {
    return this.found.length;
  }

  /** The value read, or every problem found while reading it, thrown. */
  done<T>(value: T): T {
    if (this.found.length === 1) throw this.found[0]!;
    if (this.found.length > 1) throw new FieldErrors(this.found);
    return value;
  }
}

export type Obj = Record<string, unknown>;

/** Fallbacks for a part read wrong, shared (frozen): a fresh `{}` or `[]` per read would be garbage per pod. */
export const NO_FIELDS: Obj = Object.freeze({});
export const NO_ITEMS: unknown[] = Object.freeze([]) as unknown as unknown[];

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

/**
 * Labels are strings; YAML turns `version: 2` into a number, which kubectl would reject.
 * Valid labels are the input's own mapping, not a copy: every pod has one, and the model only
 * reads them (150k copies were a tenth of building a large cluster, most of it in the GC).
 */
export function labelMap(v: unknown, field: string): Readonly<Record<string, string>> {
  const labels = optionalRecord(v, field);
  let problems: Problems | undefined;
  // for…in walks a mapping's keys without an array of them (parsed mappings have no inherited keys).
  for (const key in labels) {
    if (!Object.hasOwn(labels, key)) continue;
    const value = labels[key];
    if (typeof value !== 'string') {
      problems ??= new Problems();
      problems.add(new FieldError(`${field}.${key}`, 'label values must be strings (quote them in YAML)'));
      continue;
    }
    const keyProblem = labelKeyProblem(key);
    const valueProblem = labelValueProblem(value);
    if (keyProblem === undefined && valueProblem === undefined) continue;
    problems ??= new Problems();
    // The field names the label's key; its key and its value are each checked.
    if (keyProblem !== undefined) problems.add(new FieldError(`${field}.${key}`, keyProblem));
    if (valueProblem !== undefined) problems.add(new FieldError(`${field}.${key}`, valueProblem));
  }
  return problems ? problems.done(labels as Record<string, string>) : (labels as Record<string, string>);
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
