import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../alerts/render/webhook-payload.js';

/** What the demo's receiver prints of an alert: the fields of the webhook payload it reads. */
interface Payload {
  summary: string;
  rule: { severity: string };
  cluster: string;
  snapshot: { id: number; takenAt: string } | null;
  causes: { kind: string; key: string; change: string }[];
  items: { explainUrl: string | null }[];
}

export interface DemoAlertReceiver {
  url: string;
  signingKey: string;
  close(): Promise<void>;
}

/**
 * A generic webhook receiver on this machine that checks each alert's signature and prints it:
 * what a team's own receiver would do with reachlog's webhook, in a few lines.
 */
export async function startDemoAlertReceiver(out: (line: string) => void): Promise<DemoAlertReceiver> {
  const signingKey = randomBytes(24).toString('base64url');
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const timestamp = Number(req.headers[TIMESTAMP_HEADER]);
      const given = Buffer.from(String(req.headers[SIGNATURE_HEADER] ?? ''));
      const expected = Buffer.from(signWebhook(signingKey, timestamp, body));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(204).end();
      const a = JSON.parse(body) as Payload;
      const when = a.snapshot ? ` (snapshot #${a.snapshot.id} taken ${a.snapshot.takenAt.slice(0, 10)})` : '';
      out(`alert      [${a.rule.severity}] ${a.cluster}: ${a.summary}${when}`);
      for (const c of a.causes.slice(0, 3)) out(`           cause: ${c.kind} ${c.key} ${c.change}`);
      const why = a.items.find((i) => i.explainUrl)?.explainUrl;
      if (why) out(`           why:   ${why}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    signingKey,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
