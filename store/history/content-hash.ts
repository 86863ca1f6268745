import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';

/** Canonical JSON (sorted keys): equal content, equal text, equal hash. */
export function canonicalJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url').slice(0, 32);
}
