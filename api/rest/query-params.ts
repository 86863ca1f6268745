import type { Request } from 'express';
import { ServiceError, type PageArgs } from '../services/query-service.js';

const MAX_LIMIT = 1000;

/**
 * Reads a handler's query parameters and rejects the rest: a misspelt `sinse=7d` is an error,
 * not a silently wider answer. Each value must appear once.
 */
export class QueryParams {
  private readonly used = new Set<string>();

  constructor(private readonly query: Request['query']) {}

  optional(name: string): string | undefined {
    this.used.add(name);
    const value = this.query[name];
    if (value === undefined) {
      // `target[]=a` or `target[x]=a` (PHP and qs array syntax) is a key of its own, not `target`.
      const bracketed = Object.keys(this.query).find((k) => k.startsWith(`${name}[`));
      if (bracketed !== undefined) {
        throw new ServiceError(
          'BAD_USER_INPUT',
          `query parameter ${bracketed}: brackets are not taken; give ${name}=VALUE once`,
        );
      }
      return undefined;
    }
    if (typeof value !== 'string') throw new ServiceError('BAD_USER_INPUT', `query parameter ${name}: give it once`);
    return value;
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined || value === '') {
      throw new ServiceError('BAD_USER_INPUT', `query parameter ${name} is required`);
    }
    return value;
  }

  /** `limit` (1-1000) and `cursor`. */
  page(): PageArgs {
    const limitText = this.optional('limit');
    const cursor = this.optional('cursor');
    const page: PageArgs = {};
    if (limitText !== undefined) {
      const limit = Number(limitText);
      if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_LIMIT) {
        throw new ServiceError(
          'BAD_USER_INPUT',
          `query parameter limit ${JSON.stringify(limitText)}: 1 to ${MAX_LIMIT}`,
        );
      }
      page.limit = limit;
    }
    if (cursor !== undefined) page.cursor = cursor;
    return page;
  }

  /** Call after reading: names the parameters no one asked for. */
  done(): void {
    const unknown = Object.keys(this.query).filter((k) => !this.used.has(k));
    if (unknown.length) {
      const allowed = [...this.used].join(', ') || 'none';
      throw new ServiceError(
        'BAD_USER_INPUT',
        `unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (allowed: ${allowed})`,
      );
    }
  }
}

/** Copies only the defined values, so optional fields stay absent rather than `undefined`. */
export function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** A `:name` path parameter (Express types allow arrays for wildcards; these routes have none). */
export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string') throw new ServiceError('BAD_USER_INPUT', `path parameter ${name} is required`);
  return value;
}
