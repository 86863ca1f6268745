import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } from '@slack/webhook';
import type { ReceiverKind } from '../../arguments/alert-rule.js';
import { redact } from '../../config/redact.js';
import type { ReceiverSecret } from '../../store/receiver-secret.js';
import type { Alert } from '../alert.js';
import { alertmanagerAlerts } from '../render/alertmanager-alerts.js';
import { slackMessage } from '../render/slack-message.js';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookPayload } from '../render/webhook-payload.js';

/** A receiver that does not answer within this is treated as down (retried). */
const TIMEOUT_MS = 10_000;

/**
 * Why a send failed, in words without the receiver's URL. `retryAfterMs`: the receiver said
 * when (429/503 Retry-After); `permanent`: retrying cannot help (a 4xx such as a revoked Slack hook).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface SendContext {
  deliveryId: string;
  /** The API's public URL, for links. */
  publicUrl: string;
  now: Date;
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function httpFailure(what: string, status: number, retryAfter: number | undefined): DeliveryError {
  const transient = status >= 500 || status === 429 || status === 408;
  return new DeliveryError(`${what} answered HTTP ${status}`, retryAfter, !transient);
}

async function postJson(
  what: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  now: Date,
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw new DeliveryError(`${what} could not be reached: ${redact((e as Error).message)}`, undefined, false);
  }
  await res.body?.cancel();
  if (!res.ok) throw httpFailure(what, res.status, retryAfterMs(res.headers.get('retry-after'), now));
}

async function sendSlack(secret: ReceiverSecret, alert: Alert, ctx: SendContext): Promise<void> {
  // @slack/webhook does not keep the response's headers: the fetch it is given does, for Retry-After.
  let retryAfter: number | undefined;
  const hook = new IncomingWebhook(secret.url, {
    timeout: TIMEOUT_MS,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      retryAfter = retryAfterMs(res.headers.get('retry-after'), ctx.now);
      return res;
    },
  });
  try {
    await hook.send(slackMessage(alert, ctx.publicUrl));
  } catch (e) {
    if (e instanceof IncomingWebhookHTTPError) throw httpFailure('Slack', e.statusCode, retryAfter);
    const cause = e instanceof IncomingWebhookRequestError ? e.original.message : (e as Error).message;
    throw new DeliveryError(`Slack could not be reached: ${redact(cause)}`, undefined, false);
  }
}

async function sendWebhook(secret: ReceiverSecret, alert: Alert, ctx: SendContext): Promise<void> {
  const body = JSON.stringify(webhookPayload(alert, ctx.publicUrl, ctx.deliveryId));
  const timestamp = Math.floor(ctx.now.getTime() / 1000);
  const headers: Record<string, string> = {
    [TIMESTAMP_HEADER]: String(timestamp),
    'x-reachlog-delivery': ctx.deliveryId,
  };
  if (secret.signingKey) headers[SIGNATURE_HEADER] = signWebhook(secret.signingKey, timestamp, body);
  await postJson('the webhook', secret.url, body, headers, ctx.now);
}

async function sendAlertmanager(secret: ReceiverSecret, alert: Alert, ctx: SendContext): Promise<void> {
  const url = `${secret.url.replace(/\/+$/, '')}/api/v2/alerts`;
  const body = JSON.stringify(alertmanagerAlerts(alert, ctx.publicUrl, ctx.now));
  await postJson('Alertmanager', url, body, {}, ctx.now);
}

/** Sends one alert to one receiver; throws a DeliveryError (never naming the URL) when it is not taken. */
export async function sendAlert(
  kind: ReceiverKind,
  secret: ReceiverSecret,
  alert: Alert,
  ctx: SendContext,
): Promise<void> {
  if (kind === 'slack') return sendSlack(secret, alert, ctx);
  if (kind === 'webhook') return sendWebhook(secret, alert, ctx);
  return sendAlertmanager(secret, alert, ctx);
}
