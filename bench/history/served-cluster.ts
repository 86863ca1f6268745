import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';

/** The line the server prints once it listens, followed by its JSON details. */
export const READY_PREFIX = 'READY ';
const SERVER_SCRIPT = 'bench/history/fake-api-server.ts';

/** A fake API server process serving one scenario, and a kubeconfig pointing at it. */
export class ServedCluster {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly token: string,
    readonly counts: Record<string, number>,
  ) {}

  static async start(scenario: string): Promise<ServedCluster> {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER_SCRIPT, scenario], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`fake API server exited (${code}) before it was ready`))),
    );
    const ready = (async () => {
      for await (const line of createInterface({ input: child.stdout! })) {
        if (line.startsWith(READY_PREFIX)) return JSON.parse(line.slice(READY_PREFIX.length)) as ReadyLine;
      }
      throw new Error('fake API server closed its output before it was ready');
    })();
    const r = await Promise.race([ready, exited]);
    exited.catch(() => {}); // exits normally at stop()
    return new ServedCluster(child, r.url, r.token, r.counts);
  }

  /** As fakeKubeConfig builds it (test/support/fake-kube-api/fake-kubeconfig.ts): plain HTTP, bearer token. */
  kubeConfig(cluster = 'fake'): KubeConfig {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: cluster, server: this.url, skipTLSVerify: true }],
      users: [{ name: 'collector', token: this.token }],
      contexts: [{ name: `${cluster}-context`, cluster, user: 'collector' }],
      currentContext: `${cluster}-context`,
    });
    return kubeConfig;
  }

  /** Closing its stdin tells the server to close and exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const gone = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end();
    await gone;
  }
}

interface ReadyLine {
  url: string;
  token: string;
  counts: Record<string, number>;
}
