import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCliAsync, type CliResult } from '../cli/run-cli.js';
import { FakeReceiver } from '../support/fake-receiver.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { claimTestRedis, type TestRedis } from '../support/test-redis.js';

let db: TestDatabase;
let redis: TestRedis;
let slack: FakeReceiver;
let env: NodeJS.ProcessEnv;
const dir = mkdtempSync(join(tmpdir(), 'reachlog-alert-cli-'));
const SLACK_PATH = '/services/T000/B000/secretpart';

const reachlog = (...args: string[]): Promise<CliResult> => runCliAsync(args, env);

beforeAll(async () => {
  [db, redis, slack] = await Promise.all([createTestDatabase(), claimTestRedis(), FakeReceiver.start()]);
  env = {
    ...process.env,
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    REACHLOG_SECRET_KEY: 'ab'.repeat(32),
  };
});

afterAll(async () => {
  await slack?.stop();
  await redis?.release();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('reachlog alert and cluster add’s default alerts', () => {
  test('cluster add creates the default rules for the receivers given; --no-default-alerts none', async () => {
    const url = `${slack.url}${SLACK_PATH}`;
    const added = await reachlog('cluster', 'add', 'prod', '--manifests', dir, '--alert-slack', url);
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('default alert prod-exposed-to-outside: outside (critical)');
    expect(added.stdout).toContain('default alert prod-snapshots-overdue-or-failing: overdue, failing (warning)');
    const bare = await reachlog('cluster', 'add', 'lab', '--manifests', dir, '--no-default-alerts');
    expect(bare.stdout).not.toContain('default alert');
    expect(bare.stderr).toBe('');

    const list = await reachlog('alert', 'list');
    expect(list.stdout.trim().split('\n')).toEqual([
      `prod-exposed-to-outside\tprod\tcritical\toutside\ttarget *\tslack ${slack.url}/…`,
      `prod-snapshots-overdue-or-failing\tprod\twarning\toverdue,failing\ttarget *\tslack ${slack.url}/…`,
    ]);
    // The hook's path is its credential: never printed.
    expect(list.stdout).not.toContain('secretpart');
  });

  test('alert add validates its flags; test sends to each receiver; show lists deliveries', async () => {
    const bad = await reachlog('alert', 'add', 'x', '--changes', 'exploded', '--slack', `${slack.url}/x`);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/changes "exploded": expected one of added, widened, outside/);
    const ok = await reachlog(
      'alert',
      'add',
      'db-watch',
      '--cluster',
      'prod',
      '--changes',
      'added,widened',
      '--target',
      'ns=db:app=postgres',
      '--ports',
      '5432/TCP',
      '--severity',
      'critical',
      '--slack',
      `${slack.url}${SLACK_PATH}`,
    );
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('db-watch\tprod\tcritical\tadded,widened\ttarget ns=db:app=postgres ports 5432/TCP');
    const tested = await reachlog('alert', 'test', 'db-watch');
    expect(tested.stdout).toBe(`slack ${slack.url}/…: sent\n`);
    expect(slack.accepted(SLACK_PATH)).toHaveLength(1);
    const shown = await reachlog('alert', 'show', 'db-watch');
    expect(shown.stdout).toContain('no deliveries yet');
  });

  test('silence add, list and end; the reason is required', async () => {
    const noReason = await reachlog('alert', 'silence', 'add', '--rule', 'db-watch');
    expect(noReason.status).not.toBe(0);
    const added = await reachlog(
      'alert',
      'silence',
      'add',
      '--rule',
      'db-watch',
      '--for',
      '1h',
      '--reason',
      'migration window',
    );
    expect(added.stdout).toMatch(/^silenced #1\trule db-watch\t.* → .*\tactive\tby reachlog-cli: migration window\n$/);
    expect((await reachlog('alert', 'silence', 'list')).stdout).toContain('migration window');
    await reachlog('alert', 'silence', 'end', '1');
    expect((await reachlog('alert', 'silence', 'list')).stdout).toBe('no silences\n');
    expect((await reachlog('alert', 'silence', 'list', '--all')).stdout).toContain('inactive');
  });

  test('without REACHLOG_SECRET_KEY a receiver cannot be added, and says why', async () => {
    const r = await runCliAsync(['alert', 'add', 'nokey', '--changes', 'outside', '--slack', `${slack.url}/x`], {
      ...env,
      REACHLOG_SECRET_KEY: '',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/REACHLOG_SECRET_KEY is not set/);
  });
});
