import { LineCounter, parseAllDocuments } from 'yaml';
import { InputError } from '../model/input-error.js';
import type { FieldProblem, RawObject, SourceRef } from '../model/source.js';
import { duplicateKeys } from './duplicate-keys.js';
import { jsonDuplicateKeys } from './json-duplicate-keys.js';

export interface ParsedText {
  objects: RawObject[];
  errors: InputError[];
  /** Mappings with neither apiVersion nor kind (Helm values, CI configs): not Kubernetes objects. */
  notObjects: number;
}

/** Aliases a document may expand: enough for real manifests, far too few for a "billion laughs". */
const MAX_ALIAS_COUNT = 1000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `kind: List` (and typed lists such as PodList from `kubectl get -o json`) are unwrapped. */
function isList(body: Record<string, unknown>): boolean {
  return typeof body.kind === 'string' && body.kind.endsWith('List') && Array.isArray(body.items);
}

function withProblems(object: RawObject, problems: FieldProblem[]): RawObject {
  return problems.length > 0 ? { ...object, problems } : object;
}

/** Problems under `items[i].` belong to item i, with the prefix taken off. */
function itemProblems(problems: FieldProblem[], i: number): FieldProblem[] {
  const prefix = `items[${i}].`;
  return problems.filter((p) => p.field.startsWith(prefix)).map((p) => ({ ...p, field: p.field.slice(prefix.length) }));
}

function collect(value: unknown, source: SourceRef, out: ParsedText, problems: FieldProblem[] = []): void {
  if (value === null || value === undefined) return; // an empty document, e.g. a trailing `---`
  if (!isRecord(value)) {
    out.errors.push(new InputError(source, '', '', 'document is not a Kubernetes object (expected a mapping)'));
    return;
  }
  if (value.apiVersion === undefined && value.kind === undefined) {
    out.notObjects++;
    return;
  }
  if (!isList(value)) {
    out.objects.push(withProblems({ source, body: value }, problems));
    return;
  }
  const listKind = value.kind as string;
  for (const p of problems) {
    if (!p.field.startsWith('items[')) out.errors.push(new InputError(source, listKind, p.field, p.reason));
  }
  (value.items as unknown[]).forEach((item, i) => {
    const itemSource = { ...source, item: i + 1 };
    if (!isRecord(item)) {
      out.errors.push(new InputError(itemSource, listKind, `items[${i}]`, 'is not a Kubernetes object'));
      return;
    }
    // Typed lists (PodList) omit kind on their items, as the API server returns them.
    if (item.kind === undefined && listKind !== 'List') item.kind = listKind.slice(0, -'List'.length);
    out.objects.push(
      withProblems({ source: itemSource, body: item }, problems.length ? itemProblems(problems, i) : []),
    );
  });
}

/**
 * Where JSON.parse stopped, as a line and column. Its own message is not repeated: it quotes the
 * text around the error, and a problem must never echo a file's content (a secret, if a source
 * points at the wrong file).
 */
function jsonWhere(text: string, e: Error): string {
  const position = /at position (\d+)/.exec(e.message)?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position)).split('\n');
  return ` at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

/** Multi-document YAML, or JSON (parsed natively: a 150k-pod JSON list is too big for a YAML parser). */
export function parseManifestText(text: string, file: string): ParsedText {
  const out: ParsedText = { objects: [], errors: [], notObjects: 0 };
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      out.errors.push(new InputError({ file, doc: 1 }, '', '', `malformed JSON${jsonWhere(text, e as Error)}`));
      return out;
    }
    const docs = Array.isArray(value) ? value : [value];
    const duplicates = jsonDuplicateKeys(text);
    docs.forEach((doc, i) => collect(doc, { file, doc: i + 1 }, out, duplicates.get(i) ?? []));
    return out;
  }
  const lines = new LineCounter();
  // Duplicate keys are found on the syntax tree, to name their field rather than fail the document.
  // resolveKnownTags off: `!!binary` or `!!set` would become a Buffer or a Set, not JSON-shaped data.
  const documents = parseAllDocuments(text, {
    prettyErrors: true,
    uniqueKeys: false,
    lineCounter: lines,
    resolveKnownTags: false,
  });
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
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // A "billion laughs" document: this one is refused, the others are read. yaml's message is
      // not repeated: for an unresolved alias it quotes the document.
      const bomb = /excessive alias count/i.test((e as Error).message);
      const reason = bomb
        ? `YAML aliases expand too far (over ${MAX_ALIAS_COUNT} alias expansions)`
        : 'a YAML alias names no anchor before it';
      out.errors.push(new InputError(source, '', '', reason));
      return;
    }
    collect(value, source, out, duplicateKeys(doc.contents, lines));
  });
  return out;
}
