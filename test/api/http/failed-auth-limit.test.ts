import express from 'express';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { failedAuthLimit } from '../../../api/http/failed-auth-limit.js';

/** Behind the limit: 200 after `delayMs` for `Bearer good`, 401 for anything else. */
function slowApp(limit: number, delayMs: number) {
  const app = express();
  app.use(failedAuthLimit({ windowMs: 60_000, limit }, undefined, () => undefined));
  app.get('/x', (req, res) => {
    setTimeout(() => {
      if (req.headers.authorization === 'Bearer good') res.json({ ok: true });
      else res.status(401).json({ code: 'UNAUTHENTICATED' });
    }, delayMs);
  });
  return app;
}

describe('failed-auth limit counts answers, not requests in flight', () => {
  test('many slow valid requests at once from one address are never refused', async () => {
    const app = slowApp(3, 150);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(app)
          .get('/x')
          .set('Authorization', 'Bearer good')
          .then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array(20).fill(200));
  });

  test('after `limit` answers of 401 every request from the address is 429, a valid one too', async () => {
    const app = slowApp(3, 5);
    for (let i = 0; i < 3; i++) await request(app).get('/x').set('Authorization', 'Bearer bad').expect(401);
    await request(app).get('/x').set('Authorization', 'Bearer bad').expect(429);
    await request(app).get('/x').set('Authorization', 'Bearer good').expect(429);
  });

  test('valid answers between failures do not take failures back', async () => {
    const app = slowApp(2, 5);
    await request(app).get('/x').expect(401);
    for (let i = 0; i < 5; i++) await request(app).get('/x').set('Authorization', 'Bearer good').expect(200);
    await request(app).get('/x').expect(401);
    await request(app).get('/x').set('Authorization', 'Bearer good').expect(429);
  });
});
