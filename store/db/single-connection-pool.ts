import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/** Clients of a single-connection pool: `copyRows` must not send them COPY (see copy-rows.ts). */
const singleConnectionClients = new WeakSet<object>();

export function isSingleConnectionClient(client: object): boolean {
  return singleConnectionClients.has(client);
}

/**
 * A pg pool over exactly one connection, for a server that accepts one at a time (PGlite behind
 * pglite-socket). Callers wait their turn, as with any exhausted pool. `exclusive(fn)` holds the
 * connection for all of `fn`: code inside it that checks out a client of its own (the snapshot
 * processor holds a lock client while storeSnapshot takes another) gets the held one instead of
 * waiting for itself forever.
 */
export class SingleConnectionPool extends pg.Pool {
  private readonly held = new AsyncLocalStorage<pg.PoolClient>();

  constructor(config: pg.PoolConfig) {
    super({ ...config, max: 1 });
    this.on('connect', (client) => singleConnectionClients.add(client));
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): Promise<pg.PoolClient> | void {
    const outer = this.held.getStore();
    if (!outer) return callback ? super.connect(callback) : super.connect();
    const inner = borrowed(outer);
    if (!callback) return Promise.resolve(inner);
    queueMicrotask(() => callback(undefined, inner, () => undefined));
  }

  /** Runs `fn` holding the connection; pool calls made inside it use that connection. */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held.getStore()) return fn();
    const client = await super.connect();
    try {
      return await this.held.run(client, fn);
    } finally {
      client.release();
    }
  }
}

/** The held client, lent to code inside `exclusive`: its release is the holder's to make. */
function borrowed(client: pg.PoolClient): pg.PoolClient {
  const lent = new Proxy(client, {
    get(target, key) {
      if (key === 'release') return () => undefined;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  singleConnectionClients.add(lent);
  return lent;
}
