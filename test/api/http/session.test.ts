import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { csrfTokenFor } from '../../../api/http/session-cookie.js';
import { DASHBOARD_CSP } from '../../../api/web/security-headers.js';
import { createApiHarness, type ApiHarness } from '../../support/api-harness.js';

const FORM = 'application/x-www-form-urlencoded';

/** The dashboard's session over real Postgres and Redis: sign-in, the cookie, CSRF on writes, sign-out. */
describe('the dashboard session', () => {
  let h: ApiHarness;
  let app: Express;
  let reader: string;
  let admin: string;

  beforeAll(async () => {
    h = await createApiHarness();
    await h.clusters.add('demo', { kind: 'manifests', dir: '/nowhere' }, 300);
    reader = await h.token('auditor', 'read');
    admin = await h.token('platform', 'admin');
    app = await h.app();
  });
  afterAll(async () => h?.close());

  function signIn(token: string, headers: Record<string, string> = {}) {
    return request(app)
      .post('/dashboard/sign-in')
      .set('Host', 'reachlog.example')
      .set('Origin', 'http://reachlog.example')
      .set(headers)
      .type(FORM)
      .send({ token });
  }

  const cookieOf = (res: request.Response) => {
    const header = res.headers['set-cookie'] as unknown as string[] | undefined;
    return header?.[0] ?? '';
  };

  test('pages need a session: without one they send the browser to sign in', async () => {
    const res = await request(app).get('/dashboard/timeline?since=7d').expect(303);
    expect(res.headers.location).toBe(`/dashboard/sign-in?next=${encodeURIComponent('/dashboard/timeline?since=7d')}`);
    await request(app).get('/dashboard/').expect(303).expect('location', '/dashboard/sign-in');
    await request(app).get('/dashboard').expect(301).expect('location', '/dashboard/');
    const form = await request(app).get('/dashboard/sign-in').expect(200);
    expect(form.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(form.text).toContain('<form method="post" action="/dashboard/sign-in">');
  });

  test('a valid token becomes an HttpOnly, SameSite=Strict cookie; Secure behind https', async () => {
    const res = await signIn(reader).expect(303);
    expect(res.headers.location).toBe('/dashboard/');
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/^reachlog_session=/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).not.toMatch(/; Secure/);
    const proxied = await signIn(reader, { 'X-Forwarded-Proto': 'https' }).expect(303);
    expect(cookieOf(proxied)).toMatch(/; Secure/);
  });

  test('signing in returns to the page asked for, and only to a page of the dashboard', async () => {
    const deep = '/dashboard/reach?target=db%2Fpostgres&since=7d';
    const form = await request(app)
      .get(`/dashboard/sign-in?next=${encodeURIComponent(deep)}`)
      .expect(200);
    expect(form.text).toContain(`name="next" value="${deep.replace(/&/g, '&amp;')}"`);
    await signIn(reader).send({ next: deep }).expect(303).expect('location', deep);
    for (const elsewhere of ['https://evil.example/', '//evil.example/dashboard/', '/api/v1/tokens', '/dashboard\\x']) {
      await signIn(reader).send({ next: elsewhere }).expect(303).expect('location', '/dashboard/');
    }
  });

  test('an unknown token, or a sign-in posted from another site, sets no cookie', async () => {
    const wrong = await signIn('rl_guessed').expect(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.text).toContain('not valid');
    const crossSite = await signIn(reader, { Origin: 'https://evil.example' }).expect(403);
    expect(crossSite.headers['set-cookie']).toBeUndefined();
    const fetchedCrossSite = await signIn(reader, { 'Sec-Fetch-Site': 'cross-site' }).expect(403);
    expect(fetchedCrossSite.headers['set-cookie']).toBeUndefined();
  });

  test('the session reads the API like the bearer token; the shell carries its CSRF token and a strict CSP', async () => {
    const cookie = cookieOf(await signIn(reader)).split(';')[0]!;
    const clusters = await request(app).get('/api/v1/clusters').set('Cookie', cookie).expect(200);
    expect(clusters.body.items.map((c: { name: string }) => c.name)).toEqual(['demo']);
    const shell = await request(app).get('/dashboard/').set('Cookie', cookie).expect(200);
    expect(shell.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(shell.headers['cache-control']).toBe('no-store');
    expect(shell.text).toContain(`"csrf":"${csrfTokenFor(reader)}"`);
    expect(shell.text).not.toContain(reader);
    expect(shell.text).not.toMatch(/<script>(?!<)/);
  });

  test('a write on the session alone needs the CSRF token; with it, scopes apply as for bearer tokens', async () => {
    const adminCookie = cookieOf(await signIn(admin)).split(';')[0]!;
    const forged = await request(app).post('/api/v1/clusters/demo/snapshots').set('Cookie', adminCookie).expect(403);
    expect(forged.body.detail).toMatch(/x-csrf-token/);
    await request(app)
      .post('/api/v1/clusters/demo/snapshots')
      .set('Cookie', adminCookie)
      .set('X-CSRF-Token', csrfTokenFor(reader))
      .expect(403);
    await request(app)
      .post('/api/v1/clusters/demo/snapshots')
      .set('Cookie', adminCookie)
      .set('X-CSRF-Token', csrfTokenFor(admin))
      .expect(202);
    const readerCookie = cookieOf(await signIn(reader)).split(';')[0]!;
    const readOnly = await request(app)
      .post('/api/v1/clusters/demo/snapshots')
      .set('Cookie', readerCookie)
      .set('X-CSRF-Token', csrfTokenFor(reader))
      .expect(403);
    expect(readOnly.body.detail).toMatch(/admin scope/);
  });

  test('the sign-in form sits behind the per-address limit on failed authentication: a stopped address cannot sign in', async () => {
    const guarded = await h.app({ limits: { failedAuth: { windowMs: 60_000, limit: 3 } } });
    const post = (token: string) =>
      request(guarded)
        .post('/dashboard/sign-in')
        .set('Host', 'reachlog.example')
        .set('Origin', 'http://reachlog.example')
        .type(FORM)
        .send({ token });
    // Earlier tests' failures from this address count too (the counts live in Redis): guess until stopped.
    const statuses: number[] = [];
    for (let i = 0; i < 5 && statuses.at(-1) !== 429; i++) statuses.push((await post(`rl_guess-${i}`)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // Past the limit even the right token is refused: a guesser cannot tell a hit.
    const stopped = await post(reader).expect(429);
    expect(stopped.headers['set-cookie']).toBeUndefined();
  });

  test('revoking the token ends its sessions; signing out clears the cookie', async () => {
    const doomed = await h.token('temporary', 'read');
    const cookie = cookieOf(await signIn(doomed)).split(';')[0]!;
    await request(app).get('/api/v1/clusters').set('Cookie', cookie).expect(200);
    await h.tokens.revoke('temporary');
    await request(app).get('/api/v1/clusters').set('Cookie', cookie).expect(401);
    await request(app).get('/dashboard/').set('Cookie', cookie).expect(303).expect('location', '/dashboard/sign-in');

    const out = await request(app)
      .post('/dashboard/sign-out')
      .set('Host', 'reachlog.example')
      .set('Origin', 'http://reachlog.example')
      .expect(303);
    expect(cookieOf(out)).toMatch(/^reachlog_session=;.*Expires=Thu, 01 Jan 1970/);
  });
});
