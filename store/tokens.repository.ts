import type { Db } from './db/prisma-client.js';
import { hashTokenSecret, newTokenSecret } from './token-secret.js';

export type TokenScope = 'read' | 'admin';

export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'admin'];

export interface TokenRecord {
  id: number;
  name: string;
  scope: TokenScope;
  /** The one cluster it may see; null: every cluster. */
  clusterId: number | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export type TokenRow = Awaited<ReturnType<Db['apiToken']['findFirstOrThrow']>>;

/** A stored row as a record: the scope narrowed, nothing of the secret. */
export function toRecord(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope === 'admin' ? 'admin' : 'read',
    clusterId: row.clusterId,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

export class TokenExistsError extends Error {}

/**
 * API tokens. Only the secret's hash is stored; revoked tokens stay as a record of who had access.
 * The API checks secrets through api/services/repositories/tokens.repository.ts.
 */
export class TokensRepository {
  constructor(private readonly db: Db) {}

  /** Returns the secret: the only time it exists outside the caller's hands. */
  async create(
    name: string,
    scope: TokenScope,
    clusterId: number | null,
  ): Promise<{ token: TokenRecord; secret: string }> {
    if (await this.findActiveByName(name)) throw new TokenExistsError(`a token named ${name} already exists`);
    const secret = newTokenSecret();
    try {
      const row = await this.db.apiToken.create({
        data: { name, scope, clusterId, secretHash: hashTokenSecret(secret) },
      });
      return { token: toRecord(row), secret };
    } catch (e) {
      // Two creates racing past the check: the partial unique index on active names decides.
      if ((e as { code?: string }).code === 'P2002') throw new TokenExistsError(`a token named ${name} already exists`);
      throw e;
    }
  }

  /** Tokens not revoked, by name. */
  async list(): Promise<TokenRecord[]> {
    const rows = await this.db.apiToken.findMany({ where: { revokedAt: null }, orderBy: { name: 'asc' } });
    return rows.map(toRecord);
  }

  async findActiveByName(name: string): Promise<TokenRecord | undefined> {
    const row = await this.db.apiToken.findFirst({ where: { name, revokedAt: null } });
    return row ? toRecord(row) : undefined;
  }

  /** False when no active token has that name. */
  async revoke(name: string, now: Date = new Date()): Promise<boolean> {
    const { count } = await this.db.apiToken.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: now } });
    return count > 0;
  }
}
