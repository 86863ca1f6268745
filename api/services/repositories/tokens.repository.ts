import type pg from 'pg';
import { hashTokenSecret } from '../../../worker/store/token-secret.js';
import type { TokenRecord } from '../../../worker/store/tokens.repository.js';

interface Row {
  id: number;
  name: string;
  scope: string;
  cluster_id: number | null;
  created_at: Date;
  last_used_at: Date | null;
}

/** `last_used_at` is written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The token lookups every request makes, over pg: one indexed read, and a write at most once a
 * minute. (Token management goes through the worker's Prisma TokensRepository; Prisma's query
 * compiler cost more than the rest of a cached answer.)
 */
export class TokenReads {
  constructor(private readonly pool: pg.Pool) {}

  /** The active (not revoked) token with this secret, if any. */
  async activeBySecret(secret: string): Promise<TokenRecord | undefined> {
    const { rows } = await this.pool.query<Row>(
      `SELECT id, name, scope, cluster_id, created_at, last_used_at
         FROM api_token WHERE secret_hash = $1 AND revoked_at IS NULL`,
      [hashTokenSecret(secret)],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      name: row.name,
      scope: row.scope === 'admin' ? 'admin' : 'read',
      clusterId: row.cluster_id,
      createdAt: row.created_at,
      revokedAt: null,
      lastUsedAt: row.last_used_at,
    };
  }

  /** Records use, at most once a minute per token. */
  async touch(token: TokenRecord, now: Date = new Date()): Promise<void> {
    if (token.lastUsedAt && now.getTime() - token.lastUsedAt.getTime() < TOUCH_EVERY_MS) return;
    await this.pool.query('UPDATE api_token SET last_used_at = $2 WHERE id = $1', [token.id, now]);
  }
}
