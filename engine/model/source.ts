/** Where an object came from: a file (or API listing) and the 1-based document index in it. */
export interface SourceRef {
  file: string;
  doc: number;
  /** 1-based index inside a `kind: List` document. */
  item?: number;
}

/**
 * `file, document 3` or `file, document 1, items[4]`. One convention in every message: a
 * document is counted from 1 in its file (the first is document 1); anything inside an
 * object (list items, rules, peers, ports) is a 0-based index, as in its field path
 * (`spec.ingress[0]` is "ingress rule 0").
 */
export function describeSource(source: SourceRef): string {
  const item = source.item === undefined ? '' : `, items[${source.item - 1}]`;
  return `${source.file}, document ${source.doc}${item}`;
}

/** A problem found while reading the text of an object (a duplicate key), by field path. */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** A Kubernetes object as read, before normalization. */
export interface RawObject {
  source: SourceRef;
  body: Record<string, unknown>;
  /** Problems its text showed; buildCluster reports them with the object's own and leaves it out. */
  problems?: FieldProblem[];
}

/** `Kind ns/name` (or `Kind name` for cluster-scoped objects), for messages. */
export function describeObject(body: Record<string, unknown>): string {
  const kind = typeof body.kind === 'string' ? body.kind : '(no kind)';
  const meta = (body.metadata ?? {}) as Record<string, unknown>;
  const name = typeof meta.name === 'string' ? meta.name : '(no name)';
  return typeof meta.namespace === 'string' ? `${kind} ${meta.namespace}/${name}` : `${kind} ${name}`;
}
