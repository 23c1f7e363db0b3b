import { childLogger } from '../../platform/logger';
import { runRetention, type RetentionOptions, type RetentionReport } from './run';

const log = childLogger('retention');

export interface RetentionScheduleOptions extends Omit<RetentionOptions, 'notCompletedWithinMs'> {
  /** How often the run is due (RETENTION_INTERVAL_MINUTES). */
  intervalMs: number;
  /** How often a process checks whether the run is due (default: a tenth of the interval, at most 5 minutes). */
  checkEveryMs?: number;
}

/**
 * The retention run on a schedule, for a long-running worker process. Every process that starts
 * one checks, now and then, whether the run is due; the job's lease (privacy/store/leases.ts) lets
 * exactly one of them run it, and only when it last completed an interval or more ago — so with
 * several workers on several machines the run happens once per interval, by whichever claims it.
 * A failed run frees the job for the next check.
 */
export class RetentionSchedule {
  private timer?: NodeJS.Timeout;
  private running?: Promise<RetentionReport | undefined>;
  private stopped = true;

  constructor(private readonly options: RetentionScheduleOptions) {}

  /** Checks at once, then every checkEveryMs, until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const every = this.options.checkEveryMs ?? Math.min(Math.max(1000, Math.floor(this.options.intervalMs / 10)), 5 * 60_000);
    void this.tick();
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
  }

  /** Runs the job if it is due and free; never two ticks of one schedule at once. */
  tick(): Promise<RetentionReport | undefined> {
    if (this.running) return this.running;
    this.running = runRetention({ ...this.options, notCompletedWithinMs: this.options.intervalMs })
      .catch((error: unknown) => {
        log.error({ err: { name: (error as Error)?.name, message: (error as Error)?.message } }, 'retention run failed; it is tried again at the next check');
        return undefined;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stops checking and waits for a run in progress to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
