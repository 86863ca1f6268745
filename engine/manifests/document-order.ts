import { isRecord } from './field-error.js';

/**
 * Where a field sits in its object, as a sortable tuple: at each level the key's position
 * among its siblings (objects keep their keys in document order) or the list index. A key may
 * hold dots (`metadata.labels.app.kubernetes.io/name`): the longest key of the object that the
 * rest of the path starts with is taken. A field that is absent (`metadata.name: is required`)
 * sorts after its present siblings.
 */
function position(body: unknown, field: string): number[] {
  const out: number[] = [];
  let at: unknown = body;
  let rest = field;
  while (rest !== '') {
    const index = /^\[(\d+)\]/.exec(rest);
    if (index && Array.isArray(at)) {
      const i = Number(index[1]);
      out.push(i);
      at = at[i];
      rest = rest.slice(index[0].length).replace(/^\./, '');
      continue;
    }
    const keys = isRecord(at) ? Object.keys(at) : [];
    const ends = (k: string) => rest.startsWith(k) && (rest.length === k.length || '.['.includes(rest[k.length]!));
    const key = keys.filter(ends).sort((a, b) => b.length - a.length)[0];
    if (key === undefined) {
      // Absent here: after the present siblings (or anything, below a value that is not a mapping).
      out.push(isRecord(at) ? keys.length : Number.MAX_SAFE_INTEGER);
      break;
    }
    out.push(keys.indexOf(key));
    at = (at as Record<string, unknown>)[key];
    rest = rest.slice(key.length).replace(/^\./, '');
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
