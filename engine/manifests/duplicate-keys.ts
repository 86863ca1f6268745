import { isMap, isScalar, isSeq, type LineCounter } from 'yaml';
import type { FieldProblem } from '../model/source.js';

/**
 * Keys given twice in one mapping. YAML parsers keep the last value, so a `policyTypes:
 * [Egress]` further down silently replaces `[Ingress]`; the API server refuses such a
 * manifest (strict decoding), and so does reachlog. Aliases are not followed.
 */
export function duplicateKeys(node: unknown, lines: LineCounter): FieldProblem[] {
  const out: FieldProblem[] = [];
  const walk = (n: unknown, path: string) => {
    if (isMap(n)) {
      const first = new Map<string, number>();
      for (const pair of n.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const field = path ? `${path}.${key}` : key;
        const line = isScalar(pair.key) && pair.key.range ? lines.linePos(pair.key.range[0]).line : 0;
        const earlier = first.get(key);
        if (earlier !== undefined)
          out.push({ field, reason: `duplicate key at line ${line} (first at line ${earlier})` });
        else first.set(key, line);
        walk(pair.value, field);
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => walk(item, `${path}[${i}]`));
    }
  };
  walk(node, '');
  return out;
}
