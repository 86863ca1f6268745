import { redact } from '../../../config/redact.js';
import type { ReportJobs } from '../../../store/queue/report-jobs.js';
import type { DefinitionRunner } from './definition-runner.js';

/**
 * Report runs carried out in this process, one at a time, by the queue worker's own runner: for
 * the embedded mode, where there is no Redis. Schedules are not kept (definitions run on demand
 * only there); a run queued when the process stops stays `queued` and can be asked for again.
 */
export class InProcessReportJobs implements ReportJobs {
  private readonly waiting: number[] = [];
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly runner: DefinitionRunner,
    private readonly log: (line: string) => void,
  ) {}

  ensureAvailable(): void {}

  async schedule(): Promise<void> {}

  async unschedule(): Promise<void> {}

  async enqueueRun(runId: number): Promise<void> {
    this.waiting.push(runId);
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  private async drain(): Promise<void> {
    for (let runId = this.waiting.shift(); runId !== undefined && !this.closed; runId = this.waiting.shift()) {
      try {
        await this.runner.execute(runId);
      } catch (e) {
        const message = redact((e as Error).message);
        this.log(`report run ${runId} failed: ${message}`);
        await this.runner.fail({ runId }, message).catch(() => undefined);
      }
    }
  }

  /** Waits for the running run; waiting ones are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }
}
