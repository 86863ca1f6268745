import { ArgumentError } from './argument-error.js';

export const SCOPES = ['read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** A token's scope: `read` queries; `admin` also registers clusters, triggers snapshots, manages tokens. */
export function parseScope(value: unknown, parameter: string): Scope {
  if (!(SCOPES as readonly unknown[]).includes(value))
    throw new ArgumentError(parameter, value, 'expected read or admin');
  return value as Scope;
}
