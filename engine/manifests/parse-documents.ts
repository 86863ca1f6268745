import { parseAllDocuments } from 'yaml';
import { InputError } from '../model/input-error.js';
import type { RawObject, SourceRef } from '../model/source.js';

export interface ParsedText {
  objects: RawObject[];
  errors: InputError[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `kind: List` (and typed lists such as PodList from `kubectl get -o json`) are unwrapped. */
function isList(body: Record<string, unknown>): boolean {
  return typeof body.kind === 'string' && body.kind.endsWith('List') && Array.isArray(body.items);
}

function collect(value: unknown, source: SourceRef, out: ParsedText): void {
  if (value === null || value === undefined) return; // an empty document, e.g. a trailing `---`
  if (!isRecord(value)) {
    out.errors.push(new InputError(source, '', '', 'document is not a Kubernetes object (expected a mapping)'));
    return;
  }
  if (!isList(value)) {
    out.objects.push({ source, body: value });
    return;
  }
  const listKind = value.kind as string;
  (value.items as unknown[]).forEach((item, i) => {
    const itemSource = { ...source, item: i + 1 };
    if (!isRecord(item)) {
      out.errors.push(new InputError(itemSource, listKind, `items[${i}]`, 'is not a Kubernetes object'));
      return;
    }
    // Typed lists (PodList) omit kind on their items, as the API server returns them.
    if (item.kind === undefined && listKind !== 'List') item.kind = listKind.slice(0, -'List'.length);
    out.objects.push({ source: itemSource, body: item });
  });
}

/** Multi-document YAML, or JSON (parsed natively: a 150k-pod JSON list is too big for a YAML parser). */
export function parseManifestText(text: string, file: string): ParsedText {
  const out: ParsedText = { objects: [], errors: [] };
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      out.errors.push(new InputError({ file, doc: 1 }, '', '', `malformed JSON: ${(e as Error).message}`));
      return out;
    }
    const docs = Array.isArray(value) ? value : [value];
    docs.forEach((doc, i) => collect(doc, { file, doc: i + 1 }, out));
    return out;
  }
  const documents = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false });
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((doc, i) => {
    const source = { file, doc: i + 1 };
    if (doc.errors.length > 0) {
      const first = doc.errors[0]!;
      const line = first.linePos?.[0];
      const where = line ? ` at line ${line.line}, column ${line.col}` : '';
      const reason = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      out.errors.push(new InputError(source, '', '', `malformed YAML${where}: ${reason}`));
      return;
    }
    collect(doc.toJS({ maxAliasCount: 1000 }), source, out);
  });
  return out;
}
