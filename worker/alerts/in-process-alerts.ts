import { AlertDeliveriesRepository } from '../../store/alert-deliveries.repository.js';
import { DELIVERY_ATTEMPTS, DELIVERY_BACKOFF_MS } from '../../store/queue/alert-queue.js';
import { deliveryBackoff } from './alert.processor.js';
import { deliverOne, type DeliverOptions } from './deliver.js';
import { recordHealthAlerts } from './health-alerts.js';

export interface InProcessAlertsOptions extends DeliverOptions {
  /** Runs one step holding the store's connection (the embedded store has only one). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  everyMs?: number;
  log(line: string): void;
}

/**
 * The embedded mode's alert sender, where there is no Redis: every `everyMs` it records health
 * alerts and sends pending outbox rows, one at a time, with the BullMQ worker's attempts and
 * backoff (Retry-After honoured). Attempts are counted in memory; the rows stay the record.
 */
export class InProcessAlerts {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | undefined;
  private readonly attempts = new Map<string, number>();
  private readonly notBefore = new Map<string, number>();
  private readonly backoff = deliveryBackoff(DELIVERY_BACKOFF_MS);

  constructor(private readonly o: InProcessAlertsOptions) {
    this.timer = setInterval(() => void this.tick(), o.everyMs ?? 1_000);
    this.timer.unref();
  }

  /** One round; also what tests call instead of waiting for the timer. */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async round(): Promise<void> {
    const { o } = this;
    try {
      const ids = await o.exclusive(async () => {
        await recordHealthAlerts(o.pool, o.now?.() ?? new Date());
        return new AlertDeliveriesRepository(o.pool).pendingIds(100);
      });
      for (const id of ids) {
        if ((this.notBefore.get(id) ?? 0) > Date.now()) continue;
        const made = this.attempts.get(id) ?? 0;
        const { outcome, error } = await o.exclusive(() => deliverOne(o, id, made + 1 >= DELIVERY_ATTEMPTS));
        if (outcome !== 'retry') {
          this.attempts.delete(id);
          this.notBefore.delete(id);
          continue;
        }
        this.attempts.set(id, made + 1);
        this.notBefore.set(id, Date.now() + this.backoff(made + 1, undefined, error));
        o.log(`alert delivery ${id} not sent (attempt ${made + 1}): ${error?.message}`);
      }
    } catch (e) {
      o.log(`alerts: ${(e as Error).message}`);
    }
  }
}
