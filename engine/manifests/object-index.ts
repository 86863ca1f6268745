/** One object's entry, chained with others of the same name and namespace (other kinds). */
interface Entry<T> {
  kind: string;
  value: T;
  next: Entry<T> | undefined;
}

/**
 * Values by (namespace, kind, name) without building a key string per lookup: maps keyed by the
 * object's own namespace and name strings, whose hashes V8 keeps after the first lookup, while a
 * `${namespace}/${kind}/${name}` key is a new string to flatten and hash every time (most of
 * grouping 150k pods went there).
 */
export class ObjectIndex<T> {
  private readonly byNamespace = new Map<string, Map<string, Entry<T>>>();

  get(namespace: string, kind: string, name: string): T | undefined {
    for (let e = this.byNamespace.get(namespace)?.get(name); e; e = e.next) if (e.kind === kind) return e.value;
    return undefined;
  }

  /** Adds or replaces the value of (namespace, kind, name). */
  set(namespace: string, kind: string, name: string, value: T): void {
    let byName = this.byNamespace.get(namespace);
    if (!byName) this.byNamespace.set(namespace, (byName = new Map()));
    const first = byName.get(name);
    for (let e = first; e; e = e.next) {
      if (e.kind === kind) {
        e.value = value;
        return;
      }
    }
    byName.set(name, { kind, value, next: first });
  }
}
