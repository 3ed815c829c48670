import { PeriodicJob } from './periodic-job';

class CountingJob extends PeriodicJob {
  passes = 0;
  failNext = false;
  release?: () => void;

  constructor() {
    super({ what: 'counting', everyMs: 1_000, firstAfterMs: 100 });
  }

  async run(): Promise<void> {
    this.passes++;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('boom');
    }
    await new Promise<void>((resolve) => (this.release = resolve));
  }
}

describe(PeriodicJob.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs soon after start-up, then every interval, never two passes at once, and logs a failure instead of throwing', async () => {
    const job = new CountingJob();
    const warn = jest.spyOn((job as unknown as { logger: { warn: () => void } }).logger, 'warn').mockImplementation(() => undefined);
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(100);
    expect(job.passes).toBe(1);
    await jest.advanceTimersByTimeAsync(1_000); // the interval fires while the first pass still runs
    expect(job.passes).toBe(1);
    job.release?.();
    job.failNext = true;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(job.passes).toBe(2);
    expect(warn).toHaveBeenCalledWith('counting failed, will retry: boom');
    await job.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(job.passes).toBe(2);
  });

  it('shutdown waits for the pass under way', async () => {
    const job = new CountingJob();
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = job.onApplicationShutdown().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    job.release?.();
    await stopping;
    expect(stopped).toBe(true);
  });
});
