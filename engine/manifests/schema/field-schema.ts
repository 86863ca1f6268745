import { closest, distance } from 'fastest-levenshtein';
import { FieldError, isRecord, type Obj } from '../field-error.js';

/**
 * Field names and shapes per type, as the OpenAPI schemas give them: for each field, `''` a
 * value not looked into (scalars, free-form objects), `T` an object of type T, `[]T` a list of
 * T, `{}T` a map of T. The key `...` marks a type open to fields it does not list (a union whose
 * newer members an older reader must meet and fail closed on, not refuse).
 */
export type SchemaTypes = Record<string, Record<string, string>>;

/** A schema's kinds (`apps/v1/Deployment`) and the types they are made of. */
export interface KindSchemas {
  kinds: Record<string, string>;
  types: SchemaTypes;
}

const OBJECT = 0;
const LIST = 1;
const MAP = 2;

interface Field {
  shape: typeof OBJECT | typeof LIST | typeof MAP;
  type: TypeNode;
}

/** One type's fields; `null` for a field whose value is not looked into. */
export interface TypeNode {
  fields: Map<string, Field | null>;
  names: string[];
  /** Fields it does not list are not unknown (see `...` above). */
  open: boolean;
}

const OPEN = '...';

/** Compiles every kind's type graph once; returns kind name (`Deployment`) → its root type. */
export function compileKinds(schemas: readonly KindSchemas[]): Map<string, TypeNode> {
  const byKind = new Map<string, TypeNode>();
  for (const { kinds, types } of schemas) {
    const nodes = new Map<string, TypeNode>();
    const node = (name: string): TypeNode => {
      let n = nodes.get(name);
      if (n) return n;
      const fields = types[name];
      if (!fields) throw new Error(`schema type ${name} is not defined`);
      n = { fields: new Map(), names: Object.keys(fields).filter((f) => f !== OPEN), open: OPEN in fields };
      nodes.set(name, n);
      for (const field of n.names) n.fields.set(field, fieldOf(fields[field]!));
      return n;
    };
    const fieldOf = (shape: string): Field | null => {
      if (shape === '') return null;
      if (shape.startsWith('[]')) return { shape: LIST, type: node(shape.slice(2)) };
      if (shape.startsWith('{}')) return { shape: MAP, type: node(shape.slice(2)) };
      return { shape: OBJECT, type: node(shape) };
    };
    for (const [kind, root] of Object.entries(kinds)) byKind.set(kind.slice(kind.lastIndexOf('/') + 1), node(root));
  }
  return byKind;
}

/**
 * The keys leading to the value being walked, pushed and popped as the walk goes: a path is
 * rendered only when a field turns out unknown (most objects have none), nothing is allocated per field.
 */
type Path = (string | number)[];

function render(path: Path, last: string): string {
  return [...path, last].map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** The known name a typo most likely meant: close in edit distance (`port` → `ports`, `ingres` → `ingress`). */
function nearest(name: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = closest(name, known as string[]);
  const lower = name.toLowerCase();
  const d = Math.min(distance(name, best), distance(lower, best.toLowerCase()));
  return d <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function unknown(path: Path, key: string, type: TypeNode): FieldError {
  const near = nearest(key, type.names);
  return new FieldError(render(path, key), near ? `unknown field (did you mean ${near}?)` : 'unknown field');
}

function walk(value: Obj, type: TypeNode, path: Path, out: FieldError[]): void {
  for (const key in value) {
    const field = type.fields.get(key);
    if (field === undefined) {
      if (!type.open) out.push(unknown(path, key, type));
      continue;
    }
    const v = value[key];
    // Values of the wrong shape are the readers' to report, where reachlog reads them.
    if (field === null || typeof v !== 'object' || v === null) continue;
    path.push(key);
    if (field.shape === OBJECT) {
      if (!Array.isArray(v)) walk(v as Obj, field.type, path, out);
    } else if (field.shape === LIST) {
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const item: unknown = v[i];
          if (!isRecord(item)) continue;
          path.push(i);
          walk(item, field.type, path, out);
          path.pop();
        }
      }
    } else if (!Array.isArray(v)) {
      for (const k in v) {
        const item = (v as Obj)[k];
        if (!isRecord(item)) continue;
        path.push(k);
        walk(item, field.type, path, out);
        path.pop();
      }
    }
    path.pop();
  }
}

/**
 * Fields the schema does not know, in document order, each naming the nearest known field:
 * `spec.ingress[0].port: unknown field (did you mean ports?)`. The API server's strict field
 * validation (`kubectl apply`'s default) refuses such an object. Appended to `out` when given.
 */
export function unknownFields(body: Obj, root: TypeNode, out: FieldError[] = []): FieldError[] {
  walk(body, root, [], out);
  return out;
}
