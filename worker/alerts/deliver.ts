import { DeliveryError, sendAlert } from '../../alerts/receivers/send-alert.js';
import type { ReceiverKind } from '../../arguments/alert-rule.js';
import { redact } from '../../config/redact.js';
import { AlertRulesRepository } from '../../store/alert-rules.repository.js';
import { deliveryClaims } from '../../store/alert-deliveries.repository.js';
import type { Pool } from '../../store/db/pool.js';
import { inTransaction } from '../../store/db/transaction.js';
import type { ReceiverSealer } from '../../store/receiver-secret.js';

/**
 * What became of one attempt: `sent`; `failed` for good (retries exhausted, or the receiver
 * refused in a way retrying cannot fix); `retry` (still pending, the error says when);
 * `skipped` (already settled, or another worker holds it).
 */
export type DeliveryOutcome = 'sent' | 'failed' | 'retry' | 'skipped';

export interface DeliverOptions {
  pool: Pool;
  sealer: ReceiverSealer;
  publicUrl: string;
  /** Called once per attempt with its outcome: where a metric of deliveries hooks in. */
  onOutcome?: (receiverKind: ReceiverKind, outcome: DeliveryOutcome) => void;
  now?: () => Date;
}

/**
 * Sends one outbox row. The row is locked for the send and settled in the same transaction:
 * sent, failed, or still pending with its error and attempt count. On `retry` the error is
 * returned for the queue to back off with (after COMMIT, so the attempt is recorded).
 */
export async function deliverOne(
  o: DeliverOptions,
  deliveryId: string,
  finalAttempt: boolean,
): Promise<{ outcome: DeliveryOutcome; error?: DeliveryError }> {
  let kind: ReceiverKind | undefined;
  const result = await inTransaction(o.pool, async (client) => {
    const d = await deliveryClaims.claim(client, deliveryId);
    if (!d) return { outcome: 'skipped' as const };
    kind = d.receiverKind;
    const fail = async (message: string) => {
      await deliveryClaims.settle(client, d.id, { status: 'failed', error: message });
      return { outcome: 'failed' as const };
    };
    const receiver = d.receiverId === null ? undefined : await new AlertRulesRepository(client).receiver(d.receiverId);
    if (!receiver) return fail('the rule or its receiver was removed before the alert was sent');
    let secret;
    try {
      secret = o.sealer.open(receiver.sealed);
    } catch (e) {
      return fail((e as Error).message);
    }
    try {
      await sendAlert(d.receiverKind, secret, d.alert, {
        deliveryId: d.id,
        publicUrl: o.publicUrl,
        now: o.now?.() ?? new Date(),
      });
      await deliveryClaims.settle(client, d.id, { status: 'sent', error: null });
      return { outcome: 'sent' as const };
    } catch (e) {
      const error = e instanceof DeliveryError ? e : new DeliveryError(redact((e as Error).message), undefined, false);
      if (error.permanent || finalAttempt) return fail(error.message);
      await deliveryClaims.settle(client, d.id, { status: 'pending', error: error.message });
      return { outcome: 'retry' as const, error };
    }
  });
  if (kind) o.onOutcome?.(kind, result.outcome);
  return result;
}
