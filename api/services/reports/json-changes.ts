/** One difference between two JSON documents: where, and the values on each side (undefined: absent). */
export interface JsonChange {
  path: string;
  before: unknown;
  after: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Where two policy bodies differ, by field path (`spec.ingress`). Objects are walked key by key;
 * lists compare whole, since a rule's position in a NetworkPolicy has no meaning of its own.
 */
export function jsonChanges(before: unknown, after: unknown, path = ''): JsonChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => jsonChanges(before[k], after[k], path === '' ? k : `${path}.${k}`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

/** `spec.ingress: [...] → [...]`, one line per change. */
export function describeChanges(changes: readonly JsonChange[]): string {
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));
  return changes.map((c) => `${c.path}: ${show(c.before)} → ${show(c.after)}`).join('\n');
}
