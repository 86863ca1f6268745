import type { FieldProblem } from '../model/source.js';

interface Frame {
  /** An object's keys so far (null for an array), its path, and an array's next index. */
  keys: Set<string> | null;
  path: string;
  index: number;
  /** The key whose value comes next, within an object. */
  pending: string | undefined;
}

const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Keys given twice in one JSON object, per top-level document (the value itself, or each item
 * of a top-level array), with paths relative to it. `JSON.parse` keeps the last value, as YAML
 * parsers do; the API server refuses such a manifest (strict decoding), and so does reachlog.
 * Runs on text `JSON.parse` accepted, so it only tracks strings, brackets, colons and commas.
 */
export function jsonDuplicateKeys(text: string): Map<number, FieldProblem[]> {
  const out = new Map<number, FieldProblem[]>();
  const stack: Frame[] = [];
  let topIsArray = false;
  let doc = 0;
  const childPath = (f: Frame | undefined): string => {
    if (!f) return '';
    if (f.keys) return f.path ? `${f.path}.${f.pending}` : f.pending!;
    // Items of the top-level array are documents: their paths start afresh.
    if (topIsArray && stack.length === 1) return '';
    return `${f.path}[${f.index}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // The closing quote is the first one not escaped (preceded by an even run of backslashes).
      let end = text.indexOf('"', i + 1);
      for (;;) {
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      const top = stack[stack.length - 1];
      if (top?.keys && top.pending === undefined) {
        // Only escapes need decoding (`"a"` and `"\u0061"` are one key).
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        top.pending = key;
        if (top.keys.has(key)) {
          const field = top.path ? `${top.path}.${key}` : key;
          const list = out.get(doc) ?? [];
          list.push({ field, reason: 'duplicate key' });
          out.set(doc, list);
        } else top.keys.add(key);
      }
      i = end;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      const parent = stack[stack.length - 1];
      if (stack.length === 0 && c === 91) topIsArray = true;
      stack.push({ keys: c === 123 ? new Set() : null, path: childPath(parent), index: 0, pending: undefined });
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
    } else if (c === 44 /* , */) {
      const top = stack[stack.length - 1]!;
      if (top.keys) top.pending = undefined;
      else {
        top.index++;
        if (topIsArray && stack.length === 1) doc++;
      }
    }
  }
  return out;
}
