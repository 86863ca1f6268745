import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake took, with when it came. */
export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
  at: number;
  /** What the fake answered. */
  status: number;
}

/** What the fake answers next: a status and headers; when the script runs out, 200. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
}

/**
 * A loopback HTTP receiver standing in for Slack's incoming webhooks, a generic webhook
 * receiver or Alertmanager: it records each POST (2xx answers only count as `accepted`),
 * answers from a script (500, then 429 with Retry-After…), can verify reachlog's HMAC
 * signature with a key, and can be stopped and started again on the same port.
 */
export class FakeReceiver {
  readonly requests: Received[] = [];
  private script: ScriptedAnswer[] = [];
  private server: Server | undefined;
  port = 0;

  constructor(private readonly signingKey?: string) {}

  static async start(signingKey?: string): Promise<FakeReceiver> {
    const fake = new FakeReceiver(signingKey);
    await fake.listen(0);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next answers, in order. */
  answer(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  /** Requests answered 2xx on `path` (all paths when absent). */
  accepted(path?: string): Received[] {
    return this.requests.filter((r) => (path === undefined || r.path === path) && r.status < 300);
  }

  async listen(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const next = this.script.shift() ?? { status: this.verify(req, body) ? 200 : 401 };
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        this.requests.push({
          path: req.url ?? '',
          headers: req.headers,
          body,
          json,
          at: Date.now(),
          status: next.status,
        });
        res.writeHead(next.status, { 'content-type': 'text/plain', ...next.headers });
        res.end(next.status < 300 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops answering (connections refused) until `restart`. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }

  async restart(): Promise<void> {
    await this.listen(this.port);
  }

  /** Without a key everything passes; with one, the signature over `<timestamp>.<body>` and a fresh timestamp. */
  private verify(req: IncomingMessage, body: string): boolean {
    if (!this.signingKey) return true;
    const timestamp = Number(req.headers['x-reachlog-timestamp']);
    const given = String(req.headers['x-reachlog-signature'] ?? '');
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
    const expected = `v1=${createHmac('sha256', this.signingKey).update(`${timestamp}.${body}`).digest('hex')}`;
    return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  }
}
