import type { Queryable } from './db/pool.js';
import { hashTokenSecret, newTokenSecret } from './token-secret.js';

export type TokenScope = 'read' | 'admin';

/** One row of `api_token`, without the secret's hash. */
export interface TokenRow {
  id: number;
  name: string;
  scope: TokenScope;
  /** The one cluster it may see; null: every cluster. */
  clusterId: number | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

interface TokenColumns {
  id: number;
  name: string;
  scope: string;
  cluster_id: number | null;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = 'id, name, scope, cluster_id, created_at, revoked_at, last_used_at';

function toRow(r: TokenColumns): TokenRow {
  return {
    id: r.id,
    name: r.name,
    scope: r.scope === 'admin' ? 'admin' : 'read',
    clusterId: r.cluster_id,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}

/** `last_used_at` is written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/** Postgres' unique_violation. */
const UNIQUE_VIOLATION = '23505';

export class TokenExistsError extends Error {}

/** API tokens. Only the secret's hash is stored; revoked tokens stay as a record of who had access. */
export class TokensRepository {
  constructor(private readonly db: Queryable) {}

  /** Returns the secret: the only time it exists outside the caller's hands. */
  async create(
    name: string,
    scope: TokenScope,
    clusterId: number | null,
  ): Promise<{ token: TokenRow; secret: string }> {
    const exists = () => new TokenExistsError(`a token named ${name} already exists`);
    if (await this.findActiveByName(name)) throw exists();
    const secret = newTokenSecret();
    try {
      const { rows } = await this.db.query<TokenColumns>(
        `INSERT INTO api_token (name, scope, cluster_id, secret_hash) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [name, scope, clusterId, hashTokenSecret(secret)],
      );
      return { token: toRow(rows[0]!), secret };
    } catch (e) {
      // Two creates racing past the check: the partial unique index on active names decides.
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw exists();
      throw e;
    }
  }

  /** Tokens not revoked, by name. */
  async list(): Promise<TokenRow[]> {
    const { rows } = await this.db.query<TokenColumns>(
      `SELECT ${COLUMNS} FROM api_token WHERE revoked_at IS NULL ORDER BY name`,
    );
    return rows.map(toRow);
  }

  async findActiveByName(name: string): Promise<TokenRow | undefined> {
    const { rows } = await this.db.query<TokenColumns>(
      `SELECT ${COLUMNS} FROM api_token WHERE name = $1 AND revoked_at IS NULL LIMIT 1`,
      [name],
    );
    return rows[0] && toRow(rows[0]);
  }

  /** The active token with this secret, if any: one indexed read per request, so revocation is immediate. */
  async activeBySecret(secret: string): Promise<TokenRow | undefined> {
    const { rows } = await this.db.query<TokenColumns>(
      `SELECT ${COLUMNS} FROM api_token WHERE secret_hash = $1 AND revoked_at IS NULL`,
      [hashTokenSecret(secret)],
    );
    return rows[0] && toRow(rows[0]);
  }

  /** Records use, at most once a minute per token. */
  async touch(token: TokenRow, now: Date = new Date()): Promise<void> {
    if (token.lastUsedAt && now.getTime() - token.lastUsedAt.getTime() < TOUCH_EVERY_MS) return;
    await this.db.query('UPDATE api_token SET last_used_at = $2 WHERE id = $1', [token.id, now]);
  }

  /** False when no active token has that name. */
  async revoke(name: string, now: Date = new Date()): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'UPDATE api_token SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL',
      [name, now],
    );
    return (rowCount ?? 0) > 0;
  }
}
