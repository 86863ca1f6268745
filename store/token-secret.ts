import { createHash, randomBytes } from 'node:crypto';

/** The prefix makes a leaked secret recognizable (secret scanners, log redaction). */
export const TOKEN_PREFIX = 'rl_';

/** 32 random bytes: `rl_` and 43 base64url characters. */
export function newTokenSecret(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What is stored and looked up: the secret's SHA-256, so the table alone lets nobody in. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
