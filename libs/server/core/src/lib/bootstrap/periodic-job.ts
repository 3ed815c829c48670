import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Logger } from '@nestjs/common';

export interface PeriodicJobOptions {
  /** Names the job in its log lines (`<what> failed, will retry`). */
  what: string;
  everyMs: number;
  /** The first pass, this long after start-up (so it does not compete with the first requests). */
  firstAfterMs: number;
}

/**
 * A background pass run once soon after start-up, then every `everyMs`: a failed pass is logged
 * and retried at the next tick, passes never overlap, and shutdown waits for the one under way.
 * Subclasses implement `run()`; safe on every replica when `run()` is (short, idempotent batches).
 */
export abstract class PeriodicJob implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private running?: Promise<void>;

  protected constructor(private readonly options: PeriodicJobOptions) {}

  /** One pass. */
  abstract run(): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.timers.push(setInterval(() => void this.runSafely(), this.options.everyMs).unref());
    this.timers.push(setTimeout(() => void this.runSafely(), this.options.firstAfterMs).unref());
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await this.running;
  }

  private runSafely(): Promise<void> {
    this.running ??= this.run()
      .then(() => undefined)
      .catch((error: Error) => this.logger.warn(`${this.options.what} failed, will retry: ${error.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
