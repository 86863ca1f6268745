import pg from 'pg';

/**
 * Whether Postgres refused a value itself (SQLSTATE class 22, data exception: a NUL in text, an
 * integer or date out of range). Parsers refuse such input before any query; this is the edge's
 * last line, so a value they missed is the caller's 400, not a 500.
 */
export function isDataException(e: unknown): e is pg.DatabaseError {
  return e instanceof pg.DatabaseError && typeof e.code === 'string' && e.code.startsWith('22');
}
