import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { replayTimeline } from '../../worker/demo/replay-timeline.js';
import { createApiHarness, type ApiHarness } from '../support/api-harness.js';
import { runCliAsync, type CliResult } from '../cli/run-cli.js';
import { freePort } from '../support/free-port.js';

const DEMO_DIR = fileURLToPath(new URL('../../examples/demo', import.meta.url));

let h: ApiHarness;
let server: Server;
let apiUrl: string;
let secret: string;

/** The real bin, asynchronously (the API it talks to runs in this process), without the API settings of ours. */
function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCliAsync(args, { ...process.env, REACHLOG_API_URL: undefined, REACHLOG_TOKEN: undefined, ...env });
}

beforeAll(async () => {
  h = await createApiHarness();
  const demo = await h.clusters.add('demo', { kind: 'manifests', dir: DEMO_DIR }, 86_400);
  // Dated from the real clock: the CLI says "5d ago" against it.
  await replayTimeline(h.pool, demo.id, DEMO_DIR, new Date());
  secret = await h.token('cli', 'read');
  const app = await h.app();
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
});

describe('reachlog who-can-reach', () => {
  test('prints who can reach the database, then what changed since 7d and why', async () => {
    const r = await runCli(['who-can-reach', 'demo', 'db/postgres[StatefulSet]', '--since', '7d', '--api', apiUrl], {
      REACHLOG_TOKEN: secret,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Who can reach db\/postgres\[StatefulSet\] in demo \(snapshot \d+, .* \(12h ago\)\):$/);
    const table = lines.slice(2, lines.indexOf('', 2));
    expect(table[0]).toMatch(/^ {2}SOURCE +PORTS +SINCE$/);
    const row = (peer: string) => table.find((l) => l.trimStart().startsWith(peer));
    expect(row('analytics/reports[Deployment]')).toMatch(/ TCP 5432 +\d{4}-\d\d-\d\d \d\d:\d\d \(5d ago\)$/);
    expect(row('api/orders[Deployment]')).toMatch(/ TCP 5432 +.* \(28d ago\)$/);
    // db-debug-access's 0.0.0.0/0 as one row, though another policy's except 10.0.0.0/8 cuts it.
    expect(row('0.0.0.0/0 ')).toMatch(/ TCP 5432 +.* \(5d ago\)$/);

    const netAt = lines.findIndex((l) => l.startsWith('Net changes since 7d'));
    const net = lines.slice(netAt + 2, lines.indexOf('', netAt + 2));
    expect(net[0]).toMatch(/^ {2}NET +SOURCE +PORTS +LAST CHANGE +CAUSED BY$/);
    expect(net.some((l) => /^ {2}added +0\.0\.0\.0\/0 +TCP 5432 /.test(l))).toBe(true);

    const changesAt = lines.indexOf('Changes since 7d:');
    expect(changesAt).toBeGreaterThan(0);
    const changes = lines.slice(changesAt + 2).filter((l) => l !== '');
    expect(changes[0]).toMatch(/^ {2}CHANGE +SOURCE +PORTS +WHEN +CAUSED BY$/);
    const reports = changes.find((l) => l.includes('analytics/reports[Deployment]'));
    expect(reports).toMatch(
      /^ {2}added +analytics\/reports\[Deployment\] +TCP 5432 +.*\(5d ago\) +NetworkPolicy db\/postgres-debug-access/,
    );
    // Step by step, outside addresses as that step's ipBlocks cut them.
    expect(changes.some((l) => /^ {2}added +0\.0\.0\.0\/0 except 10\.0\.0\.0\/8 /.test(l))).toBe(true);
    // The token is never printed.
    expect(r.stdout).not.toContain(secret);
  });

  test('payments since 1d: the storefront removed 12 hours ago, caused by the AdminNetworkPolicy pci-payments', async () => {
    const r = await runCli(['who-can-reach', 'demo', 'api/payments[Deployment]', '--since', '1d', '--api', apiUrl], {
      REACHLOG_TOKEN: secret,
    });
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    const changesAt = lines.indexOf('Changes since 1d:');
    const web = lines.slice(changesAt + 2).find((l) => l.includes('storefront/web[Deployment]'));
    expect(web).toMatch(/^ {2}removed +storefront\/web\[Deployment\] +.*\(12h ago\) +AdminNetworkPolicy pci-payments/);
  });

  test('--port narrows, REACHLOG_API_URL and REACHLOG_TOKEN are read from the environment', async () => {
    const r = await runCli(['who-can-reach', 'demo', 'db/postgres[StatefulSet]', '--port', '80/TCP'], {
      REACHLOG_API_URL: apiUrl,
      REACHLOG_TOKEN: secret,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('nothing can reach it');
    expect(r.stdout).not.toContain('Changes since');
  });

  test("the API's problems are one line, exit 1; no token is a usage error, exit 2", async () => {
    const unknown = await runCli([
      'who-can-reach',
      'nope',
      'db/postgres[StatefulSet]',
      '--api',
      apiUrl,
      '--token',
      secret,
    ]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe('reachlog: the API answered 404: cluster "nope" not found\n');
    const future = await runCli(
      ['who-can-reach', 'demo', 'db/postgres[StatefulSet]', '--at', '2999-01-01', '--api', apiUrl],
      {
        REACHLOG_TOKEN: secret,
      },
    );
    expect(future.status).toBe(1);
    expect(future.stderr).toMatch(/^reachlog: the API answered 400: at "2999-01-01": is in the future/);
    const wrongToken = await runCli(['who-can-reach', 'demo', 'x', '--api', apiUrl, '--token', 'rl_wrong-secret-123']);
    expect(wrongToken.status).toBe(1);
    expect(wrongToken.stderr).toMatch(/answered 401/);
    expect(wrongToken.stderr).not.toContain('rl_wrong-secret-123');
    const noToken = await runCli(['who-can-reach', 'demo', 'x', '--api', apiUrl]);
    expect(noToken.status).toBe(2);
    expect(noToken.stderr).toMatch(/REACHLOG_TOKEN/);
  });

  test('an API that is not there: one line naming the URL, exit 1', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const r = await runCli(['who-can-reach', 'demo', 'x', '--api', closed, '--token', secret]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`reachlog: cannot reach the API at ${closed} (--api or REACHLOG_API_URL): ECONNREFUSED\n`);
  });
});
