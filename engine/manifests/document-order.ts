import { isRecord } from './field-error.js';

/** `spec.ingress[0].ports[1].port` → `['spec', 'ingress', 0, 'ports', 1, 'port']`. */
function segments(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/**
 * Where a field sits in its object, as a sortable tuple: at each level the key's position
 * among its siblings (objects keep their keys in document order) or the list index. A field
 * that is absent (`metadata.name: is required`) sorts after its present siblings.
 */
function position(body: unknown, field: string): number[] {
  const out: number[] = [];
  let at: unknown = body;
  for (const s of segments(field)) {
    if (Array.isArray(at) && typeof s === 'number') {
      out.push(s);
      at = at[s];
    } else if (isRecord(at)) {
      const keys = Object.keys(at);
      const i = keys.indexOf(String(s));
      out.push(i < 0 ? keys.length : i);
      at = i < 0 ? undefined : at[String(s)];
    } else {
      out.push(Number.MAX_SAFE_INTEGER);
      at = undefined;
    }
  }
  return out;
}

/** Sorts problems of one object by where their fields appear in it (stable for equal places). */
export function inDocumentOrder<T extends { field: string }>(body: unknown, problems: readonly T[]): T[] {
  if (problems.length < 2) return [...problems];
  const keyed = problems.map((p) => ({ p, at: position(body, p.field) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.min(a.at.length, b.at.length); i++) if (a.at[i] !== b.at[i]) return a.at[i]! - b.at[i]!;
    return a.at.length - b.at.length;
  });
  return keyed.map((k) => k.p);
}
