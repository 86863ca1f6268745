import type pg from 'pg';
import { hashTokenSecret } from '../../../store/token-secret.js';
import { toRecord, type TokenRecord, type TokenRow } from '../../../store/tokens.repository.js';

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
    // Columns named as Prisma names them, so the worker's mapping serves both.
    const { rows } = await this.pool.query<TokenRow>(
      `SELECT id, name, scope, secret_hash AS "secretHash", cluster_id AS "clusterId", created_at AS "createdAt",
              revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"
         FROM api_token WHERE secret_hash = $1 AND revoked_at IS NULL`,
      [hashTokenSecret(secret)],
    );
    return rows[0] && toRecord(rows[0]);
  }

  /** Records use, at most once a minute per token. */
  async touch(token: TokenRecord, now: Date = new Date()): Promise<void> {
    if (token.lastUsedAt && now.getTime() - token.lastUsedAt.getTime() < TOUCH_EVERY_MS) return;
    await this.pool.query('UPDATE api_token SET last_used_at = $2 WHERE id = $1', [token.id, now]);
  }
}
