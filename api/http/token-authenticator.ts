import type { TokenRow, TokensRepository } from '../../store/tokens.repository.js';
import type { Principal } from '../services/query-service.js';
import type { Authenticate } from './auth.js';

/** Admin includes read: a token's scopes are what it may do, not what it was created with. */
export function principalFor(token: TokenRow): Principal {
  return {
    tokenId: token.id,
    name: token.name,
    scopes: token.scope === 'admin' ? ['read', 'admin'] : ['read'],
    clusterIds: token.clusterId === null ? null : [token.clusterId],
  };
}

/** Looks the secret's hash up in api_token and records the use. */
export function tokenAuthenticator(tokens: Pick<TokensRepository, 'activeBySecret' | 'touch'>): Authenticate {
  return async (secret) => {
    const token = await tokens.activeBySecret(secret);
    if (!token) return null;
    await tokens.touch(token);
    return principalFor(token);
  };
}
