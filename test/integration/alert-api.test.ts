import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
let app: Express;
let globalAdmin: string;
let prodAdmin: string;
let reader: string;
const SLACK = 'https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  // The API seals receivers with the key from the environment, as in production.
  vi.stubEnv('REACHLOG_SECRET_KEY', 'cd'.repeat(32));
  h = await createApiHarness();
  await h.clusters.add('prod', { kind: 'kube', context: 'prod' }, 300);
  await h.clusters.add('staging', { kind: 'kube', context: 'staging' }, 300);
  app = await h.app();
  globalAdmin = await h.token('ops', 'admin');
  prodAdmin = await h.token('prod-ops', 'admin', 'prod');
  reader = await h.token('viewer', 'read');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await h?.close();
});

describe('/api/v1/alerts', () => {
  test('a rule is added with its receivers sealed; the API shows their origin only', async () => {
    const res = await request(app)
      .post('/api/v1/alerts/rules')
      .set(as(globalAdmin))
      .send({
        name: 'staging-outside',
        cluster: 'staging',
        changes: ['outside'],
        receivers: [{ kind: 'slack', url: SLACK }],
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'staging-outside',
      cluster: 'staging',
      target: '*',
      changes: ['outside'],
      severity: 'warning',
      receivers: [{ kind: 'slack', url: 'https://hooks.slack.com/…' }],
    });
    expect(JSON.stringify(res.body)).not.toContain('secret');
    const everywhere = await request(app)
      .post('/api/v1/alerts/rules')
      .set(as(globalAdmin))
      .send({ name: 'all-overdue', changes: 'overdue,failing', receivers: [{ kind: 'slack', url: SLACK }] });
    expect(everywhere.body.cluster).toBeNull();
  });

  test('a cluster-bound admin token sees and manages its cluster’s rules only', async () => {
    const own = await request(app)
      .post('/api/v1/alerts/rules')
      .set(as(prodAdmin))
      .send({ name: 'prod-outside', changes: ['outside'], receivers: [{ kind: 'slack', url: SLACK }] });
    expect(own.status).toBe(201);
    expect(own.body.cluster).toBe('prod');
    const other = await request(app)
      .post('/api/v1/alerts/rules')
      .set(as(prodAdmin))
      .send({ name: 'x', cluster: 'staging', changes: ['outside'], receivers: [{ kind: 'slack', url: SLACK }] });
    expect(other.status).toBe(404);
    const listed = await request(app).get('/api/v1/alerts/rules').set(as(prodAdmin));
    expect(listed.body.items.map((r: { name: string }) => r.name)).toEqual(['prod-outside']);
    expect((await request(app).get('/api/v1/alerts/rules/staging-outside').set(as(prodAdmin))).status).toBe(404);
    expect((await request(app).delete('/api/v1/alerts/rules/all-overdue').set(as(prodAdmin))).status).toBe(404);
    expect((await request(app).get('/api/v1/alerts/rules').set(as(globalAdmin))).body.items).toHaveLength(3);
  });

  test('read tokens list rules and silences but change nothing; bad input names the field', async () => {
    const listed = await request(app).get('/api/v1/alerts/rules').set(as(reader));
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r: { name: string }) => r.name)).toContain('staging-outside');
    expect(JSON.stringify(listed.body)).not.toContain('secret');
    expect((await request(app).get('/api/v1/alerts/silences').set(as(reader))).status).toBe(200);
    expect((await request(app).get('/api/v1/alerts/deliveries').set(as(reader))).status).toBe(403);
    const write = await request(app)
      .post('/api/v1/alerts/rules')
      .set(as(reader))
      .send({ name: 'mine', changes: ['outside'], receivers: [{ kind: 'slack', url: SLACK }] });
    expect(write.status).toBe(403);
    const bad = await request(app)
      .post('/api/v1/alerts/rules')
      .set(as(globalAdmin))
      .send({ name: 'bad', changes: ['everything'], receivers: [{ kind: 'slack', url: SLACK }] });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/changes "everything": expected one of/);
    const noUrl = await request(app)
      .post('/api/v1/alerts/rules')
      .set(as(globalAdmin))
      .send({ name: 'bad', changes: ['outside'], receivers: [{ kind: 'slack', url: 'ftp://x' }] });
    expect(noUrl.body.detail).toBe('receivers[0].url "(not shown)": expected an http(s) URL');
  });

  test('silences are visible with their reason and window; a cluster-bound token’s are bound to its cluster', async () => {
    const res = await request(app)
      .post('/api/v1/alerts/silences')
      .set(as(prodAdmin))
      .send({ target: 'db/postgres[StatefulSet]', duration: '2h', reason: 'restore drill' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      rule: null,
      target: 'db/postgres[StatefulSet]',
      cluster: 'prod',
      reason: 'restore drill',
      createdBy: 'prod-ops',
      active: true,
    });
    expect(Date.parse(res.body.endsAt) - Date.parse(res.body.startsAt)).toBe(2 * 3_600_000);
    const listed = await request(app).get('/api/v1/alerts/silences').set(as(globalAdmin));
    expect(listed.body.items).toHaveLength(1);
    expect((await request(app).delete(`/api/v1/alerts/silences/${res.body.id}`).set(as(prodAdmin))).status).toBe(204);
    expect((await request(app).get('/api/v1/alerts/silences').set(as(globalAdmin))).body.items).toEqual([]);
  });

  test('GraphQL: the same rules and scopes as REST', async () => {
    const ask = (token: string, query: string, variables: object = {}) =>
      request(app).post('/graphql').set(as(token)).send({ query, variables });
    const listed = await ask(prodAdmin, '{ alertRules { name cluster receivers { kind url } } }');
    expect(listed.body.data.alertRules).toEqual([
      { name: 'prod-outside', cluster: 'prod', receivers: [{ kind: 'slack', url: 'https://hooks.slack.com/…' }] },
    ]);
    const added = await ask(
      globalAdmin,
      'mutation ($input: AlertRuleInput!) { addAlertRule(input: $input) { name changes severity } }',
      {
        input: {
          name: 'gql-rule',
          cluster: 'prod',
          changes: ['policy-deleted'],
          severity: 'info',
          receivers: [{ kind: 'alertmanager', url: 'http://am:9093' }],
        },
      },
    );
    expect(added.body.data.addAlertRule).toEqual({ name: 'gql-rule', changes: ['policy-deleted'], severity: 'info' });
    const readable = await ask(reader, '{ alertRules { name } }');
    expect(readable.body.data.alertRules.map((r: { name: string }) => r.name)).toContain('gql-rule');
    const refused = await ask(reader, '{ alertDeliveries { id } }');
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
