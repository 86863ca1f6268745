import { Counter, Gauge, type Registry } from 'prom-client';
import { cachedRead } from './cached-read.js';

/**
 * Alert deliveries (issue 12's receivers: Slack, webhooks, Alertmanager). The counter is
 * incremented by the delivery code as each attempt ends; the failed gauge is read from where
 * deliveries are stored when a reader is given (the same on every replica), else set by hand.
 * `receiver` is a configured receiver's name: as many series as receivers, not as alerts.
 */

/** How one delivery attempt ended. */
export const DELIVERY_OUTCOMES = ['sent', 'retried', 'failed', 'silenced'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export interface AlertMetrics {
  /** `deliveries.inc({ receiver, outcome })` after each attempt. */
  deliveries: Counter<'receiver' | 'outcome'>;
  /** Deliveries marked failed (no retry left) and not yet resolved, by receiver. */
  failedDeliveries: Gauge<'receiver'>;
}

export interface FailedDeliveries {
  receiver: string;
  count: number;
}

export function registerAlertMetrics(
  registry: Registry,
  readFailed?: () => Promise<FailedDeliveries[]>,
  options: { cacheMs?: number; timeoutMs?: number } = {},
): AlertMetrics {
  const registers = [registry];
  const read =
    readFailed && cachedRead(readFailed, { ttlMs: options.cacheMs ?? 5_000, timeoutMs: options.timeoutMs ?? 3_000 });
  return {
    deliveries: new Counter({
      name: 'reachlog_alert_deliveries_total',
      help: `Alert delivery attempts by receiver and outcome (${DELIVERY_OUTCOMES.join(', ')})`,
      labelNames: ['receiver', 'outcome'],
      registers,
    }),
    failedDeliveries: new Gauge({
      name: 'reachlog_alert_deliveries_failed',
      help: 'Alert deliveries that failed for good (every retry spent), by receiver',
      labelNames: ['receiver'],
      registers,
      ...(read && {
        async collect() {
          const outcome = await read();
          if (!outcome.ok) return;
          this.reset();
          for (const f of outcome.value) this.set({ receiver: f.receiver }, f.count);
        },
      }),
    }),
  };
}
