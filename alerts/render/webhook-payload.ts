import { createHmac } from 'node:crypto';
import type { Alert } from '../alert.js';

/**
 * The generic webhook's body: the alert (`format: reachlog.alert/v1`) with its links made
 * absolute and the delivery's id, which a receiver keeps to drop a repeated delivery.
 */
export function webhookPayload(alert: Alert, base: string, deliveryId: string): unknown {
  return {
    ...alert,
    deliveryId,
    items: alert.items.map((i) => ({ ...i, explainUrl: i.explainPath ? `${base}${i.explainPath}` : null })),
    changesUrl: alert.changesPath ? `${base}${alert.changesPath}` : null,
  };
}

export const SIGNATURE_HEADER = 'x-reachlog-signature';
export const TIMESTAMP_HEADER = 'x-reachlog-timestamp';

/**
 * `v1=` and the hex HMAC-SHA256 of `<timestamp>.<body>`: a receiver recomputes it with the
 * shared key, compares in constant time, and rejects a timestamp older than it allows (replays).
 */
export function signWebhook(key: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`;
}
