import express from 'express';
import pg from 'pg';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { errorFormatter } from '../../../api/graphql/errors.js';
import { DATA_EXCEPTION_DETAIL, errorHandler } from '../../../api/http/error-handler.js';

function postgresRefusal(code: string): pg.DatabaseError {
  const e = new pg.DatabaseError('invalid byte sequence for encoding "UTF8": 0x00', 0, 'error');
  e.code = code;
  return e;
}

function appThrowing(error: unknown, logs: string[]) {
  const app = express();
  app.get('/boom', () => {
    throw error;
  });
  app.use(errorHandler((line) => logs.push(line)));
  return app;
}

describe('the edge maps a value Postgres refused (SQLSTATE class 22) to the caller, other failures to 500', () => {
  test('REST: 400 problem+json, one log line without a stack', async () => {
    const logs: string[] = [];
    const res = await request(appThrowing(postgresRefusal('22021'), logs))
      .get('/boom')
      .expect(400);
    expect(res.body).toMatchObject({ code: 'BAD_USER_INPUT', detail: DATA_EXCEPTION_DETAIL });
    expect(logs).toEqual([
      'input refused by postgres (22021) GET /boom: invalid byte sequence for encoding "UTF8": 0x00',
    ]);
  });

  test('REST: a Postgres failure of another class (a missing table) stays a 500; a lost connection is 503', async () => {
    const logs: string[] = [];
    await request(appThrowing(postgresRefusal('57P01'), []))
      .get('/boom')
      .expect(503);
    await request(appThrowing(postgresRefusal('42P01'), logs))
      .get('/boom')
      .expect(500);
    expect(logs[0]).toMatch(/^error GET \/boom/);
  });

  test('GraphQL: BAD_USER_INPUT with the same words', () => {
    const logged: unknown[] = [];
    const format = errorFormatter((e) => logged.push(e));
    const formatted = { message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    expect(format(formatted, postgresRefusal('22003'))).toMatchObject({
      message: DATA_EXCEPTION_DETAIL,
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(format(formatted, postgresRefusal('42P01')).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(format(formatted, postgresRefusal('08006')).extensions).toMatchObject({ code: 'UNAVAILABLE' });
  });
});
