/**
 * The API over a benchmark database, in its own process: `LISTENING <url>` on stdout once it
 * listens; SIGTERM closes it and exits (so --cpu-prof writes its profile).
 *
 *   node --import tsx bench/api/server-entry.ts <database-url> [now-iso] [--no-answer-cache]
 *
 * `now` pins the query service's clock (relative times like `7d` count back from it);
 * --no-answer-cache makes the query service compute every answer. The
 * per-token rate limit is raised out of the way: the benchmark measures queries, not 429s.
 * On stdin, `profile-start` starts V8's CPU profiler (what --cpu-prof runs, but only over the
 * load, not startup) and `profile-stop <file>` writes a .cpuprofile and answers `PROFILED`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';
import { startApiServer } from '../../api/server.js';
import { createPool } from '../../store/db/pool.js';

const [url, nowIso, flag] = process.argv.slice(2);
if (!url) throw new Error('usage: server-entry.ts <database-url> [now-iso]');
const now = nowIso ? new Date(nowIso) : undefined;
const api = await startApiServer({
  port: 0,
  host: '127.0.0.1',
  connections: { pool: createPool(url) },
  limits: { rate: { windowMs: 60_000, limit: 1_000_000 } },
  ...(now ? { now: () => now } : {}),
  ...(flag === '--no-answer-cache' ? { answerCacheBytes: 0 } : {}),
  log: (line) => void process.stderr.write(`${line}\n`),
});
process.stdout.write(`LISTENING ${api.url}\n`);
process.once('SIGTERM', () => {
  void api.close().finally(() => process.exit(0));
});

const session = new Session();
createInterface({ input: process.stdin }).on('line', (line) => {
  void (async () => {
    if (line === 'profile-start') {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      process.stdout.write('PROFILING\n');
    } else if (line.startsWith('profile-stop ')) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(line.slice('profile-stop '.length), JSON.stringify(profile));
      session.disconnect();
      process.stdout.write('PROFILED\n');
    }
  })();
});
