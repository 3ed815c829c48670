// Named, timed steps with a header each and a summary table at the end.
import { color, describeError, error, Fail, formatDuration } from './log.mjs';

/** Thrown by `must` after a failed step has been reported, so callers stop without reporting it again. */
export class StepFailed extends Fail {
  name = 'StepFailed';
}

export function createSteps() {
  /** `{ name, status: 'passed'|'failed'|'skipped', ms, note? }` in the order they ran. */
  const results = [];

  /** Runs `fn` as step `name`; resolves to true if it passed. Failures are printed, not thrown. */
  async function run(name, fn) {
    console.log(`\n${color.bold(color.blue(`━━ ${name}`))}`);
    const started = performance.now();
    let status = 'passed';
    try {
      await fn();
    } catch (err) {
      status = 'failed';
      error(describeError(err));
    }
    const ms = performance.now() - started;
    results.push({ name, status, ms });
    const mark = status === 'passed' ? color.green('✔') : color.red('✘');
    console.log(`${mark} ${name} ${status} ${color.dim(`(${formatDuration(ms)})`)}`);
    return status === 'passed';
  }

  /** Like `run`, but a failure throws `StepFailed` (already reported) to stop the caller. */
  async function must(name, fn) {
    if (!(await run(name, fn))) throw new StepFailed(`${name} failed`);
  }

  function skip(name, reason) {
    results.push({ name, status: 'skipped', ms: 0, note: reason });
    console.log(`\n${color.dim(`━━ ${name}: skipped (${reason})`)}`);
  }

  const failed = () => results.some((r) => r.status === 'failed');
  const passed = (name) => results.some((r) => r.name === name && r.status === 'passed');

  function printSummary() {
    const width = Math.max(...results.map((r) => r.name.length), 4);
    console.log(`\n${color.bold('━━ summary')}`);
    for (const { name, status, ms, note } of results) {
      const mark = { passed: color.green('✔'), failed: color.red('✘'), skipped: color.dim('–') }[status];
      const detail = status === 'skipped' ? `skipped: ${note}` : `${status.padEnd(6)} ${formatDuration(ms)}`;
      console.log(`  ${mark} ${name.padEnd(width)}  ${status === 'skipped' ? color.dim(detail) : detail}`);
    }
  }

  return { run, must, skip, failed, passed, printSummary, results };
}
