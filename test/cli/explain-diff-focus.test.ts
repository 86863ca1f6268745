import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO, runCli } from './run-cli.js';

const SHOP = 'examples/shop';

describe('reachlog analyze --explain', () => {
  test('a denied pair names the isolating policies and says no rule matched', () => {
    const r = runCli(
      'analyze',
      SHOP,
      '--explain',
      'storefront/web[Deployment]',
      'db/postgres[StatefulSet]',
      '--port',
      '5432/TCP',
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/DENIED/);
    expect(r.stdout).toMatch(/TCP 5432: denied/);
    expect(r.stdout).toMatch(/Ingress to db\/postgres\[StatefulSet\]: isolated by 2 policies/);
    expect(r.stdout).toMatch(/NetworkPolicy db\/default-deny \(examples\/shop\/policies\.yaml, document 1\)/);
    expect(r.stdout).toMatch(/no ingress rule of these policies matches storefront\/web\[Deployment\]/);
  });

  test('an allowed pair names the rule on each side, with its file and index', () => {
    const r = runCli(
      'analyze',
      SHOP,
      '--explain',
      'api/payments[Deployment]',
      'db/postgres[StatefulSet]',
      '--port',
      '5432',
    );
    expect(r.stdout).toMatch(/ALLOWED: TCP 5432/);
    expect(r.stdout).toMatch(/TCP 5432: allowed/);
    expect(r.stdout).toMatch(/egress rule 1 of api\/payments-egress allows TCP 5432/);
    expect(r.stdout).toMatch(/ingress rule 0 of db\/postgres-from-api allows TCP 5432/);
  });

  test('an unknown peer is named; a bad --port is a usage error', () => {
    expect(runCli('analyze', SHOP, '--explain', 'a', 'b').stderr).toMatch(/--explain a: no such workload/);
    const r = runCli(
      'analyze',
      SHOP,
      '--explain',
      'api/payments[Deployment]',
      'db/postgres[StatefulSet]',
      '--port',
      '99999/TCP',
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/expected PORT\[\/PROTOCOL\]/);
  });
});

describe('reachlog analyze --focus', () => {
  test('lists exactly the connections from or to the workload', () => {
    const all = runCli('analyze', SHOP).stdout.trim().split('\n');
    const focus = 'api/orders[Deployment]';
    const focused = runCli('analyze', SHOP, '--focus', focus).stdout.trim().split('\n');
    const expected = all.filter((l) => l.startsWith(`${focus} =>`) || l.includes(`=> ${focus} :`));
    expect(focused).toEqual(expected);
    expect(focused.length).toBeGreaterThan(2);
  });
});

describe('reachlog diff', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reachlog-diff-'));
  const newer = join(dir, 'shop');
  cpSync(join(REPO, SHOP), newer, { recursive: true });
  const policies = join(newer, 'policies.yaml');
  // Open postgres to the storefront namespace as well, and stop prometheus scraping.
  writeFileSync(
    policies,
    readFileSync(policies, 'utf8')
      .replace(
        'matchLabels: { tier: backend }',
        'matchExpressions: [{ key: tier, operator: In, values: [backend, edge] }]',
      )
      .replace(
        / {2}- from:\n {4}- namespaceSelector:\n {8}matchLabels: \{ purpose: observability \}\n {4}ports:\n {4}- port: metrics\n/,
        '',
      ),
  );

  test('reports removed connections by workload id, and nothing for a rule that selects no pod', () => {
    const r = runCli('diff', SHOP, newer);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('removed: monitoring/prometheus[Deployment] => api/orders[Deployment] : TCP 9090');
    // The storefront has no pods labelled role=api, so opening the namespace adds nothing: no line for it.
    expect(r.stdout).not.toMatch(/storefront\/web\[Deployment\] => db\/postgres/);
    expect(r.stderr).toMatch(/2 changed connections: 0 added, 2 removed/);
  });

  test('json output has the change kinds and port ranges', () => {
    const r = runCli('diff', SHOP, newer, '--output', 'json');
    const parsed = JSON.parse(r.stdout) as { changes: { change: string; before: unknown }[] };
    expect(parsed.changes).toHaveLength(2);
    expect(parsed.changes[0]).toMatchObject({
      change: 'removed',
      before: [{ protocol: 'TCP', ports: [[9090, 9090]] }],
    });
  });
});
