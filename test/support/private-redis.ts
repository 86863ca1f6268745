import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

/**
 * A Redis server of a test's own on a free loopback port, without persistence: a restart loses
 * every key (queues, job schedulers, locks), as a failover to an empty replica or a Redis
 * without a disk does. The shared Redis on 6379 must never be restarted by a test.
 */
export interface PrivateRedis {
  port: number;
  url: string;
  /** Kills the server (SIGKILL: no goodbye to clients) and starts an empty one on the same port. */
  restart(options?: { downForMs?: number }): Promise<void>;
  /** Kills the server: connections are refused until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

const BIN = process.env.TEST_REDIS_SERVER ?? 'redis-server';

async function answers(port: number): Promise<boolean> {
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    for (let waited = 0; !(await answers(port)); waited += 50) {
      if (waited > 10_000) throw new Error(`redis-server did not answer on port ${port} within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async restart({ downForMs = 0 } = {}) {
      await stop();
      if (downForMs > 0) await new Promise((r) => setTimeout(r, downForMs));
      await start();
    },
    stop,
    start,
    destroy: stop,
  };
}
