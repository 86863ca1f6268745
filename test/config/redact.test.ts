import { describe, expect, test } from 'vitest';
import { redact } from '../../config/redact.js';
import { newTokenSecret } from '../../store/token-secret.js';

describe('redact', () => {
  test('API token secrets, wherever they appear', () => {
    const secret = newTokenSecret();
    const out = redact(`GET /api/v1/clusters?x=${secret} failed for ${secret}`);
    expect(out).not.toContain(secret);
    expect(out).toBe('GET /api/v1/clusters?x=[redacted] failed for [redacted]');
  });

  test('Authorization header values', () => {
    expect(redact('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer [redacted]');
    expect(redact('authorization: basic dXNlcjpwYXNz')).toBe('authorization: basic [redacted]');
  });

  test('kubeconfig credentials, as YAML and as JSON', () => {
    const yaml = [
      'users:',
      '- name: admin',
      '  user:',
      '    token: eyJhbGciOiJSUzI1NiJ9.secret',
      '    client-key-data: LS0tLS1CRUdJTg==',
      '    client-certificate-data: LS0tLS1DRVJU',
      '    password: hunter2',
    ].join('\n');
    const out = redact(yaml);
    for (const secret of ['eyJhbGciOiJSUzI1NiJ9.secret', 'LS0tLS1CRUdJTg==', 'LS0tLS1DRVJU', 'hunter2']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('    token: [redacted]');
    expect(out).toContain('- name: admin');
    expect(redact('{"user":{"token":"abc123","username":"me"}}')).toBe('{"user":{"token":[redacted],"username":"me"}}');
  });

  test('webhook URLs keep only their origin', () => {
    const slack = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX';
    expect(redact(`posting to ${slack} failed`)).toBe('posting to https://hooks.slack.com/[redacted] failed');
    const teams = 'https://example.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456';
    expect(redact(teams)).toBe('https://example.webhook.office.com/[redacted]');
    expect(redact('https://discord.com/api/webhooks/1/abc')).toBe('https://discord.com/[redacted]');
  });

  test('passwords in connection URLs', () => {
    expect(redact('connect postgresql://app:s3cret@db:5432/reachlog')).toBe(
      'connect postgresql://[redacted]@db:5432/reachlog',
    );
    expect(redact('redis://:pw@cache:6379/0 refused')).toBe('redis://[redacted]@cache:6379/0 refused');
  });

  test('leaves ordinary text alone', () => {
    const text = 'GET /api/v1/clusters/prod/who-can-reach?target=db%2Fpostgres&since=7d 200 3.1 ms';
    expect(redact(text)).toBe(text);
    expect(redact('connect ECONNREFUSED 127.0.0.1:6379')).toBe('connect ECONNREFUSED 127.0.0.1:6379');
  });
});
