// Adds up Jest's summary lines over every run of `npm test` (cached runs replayed by Nx included):
// `Tests:       1 failed, 2 skipped, 12 passed, 15 total`.

const SUMMARY = /^\s*Tests:\s+(.*\btotal)\s*$/;

export function createTestTally() {
  const counts = { passed: 0, failed: 0, skipped: 0 };

  /** Feed every output line (ANSI codes removed). */
  function onLine(line) {
    const summary = SUMMARY.exec(line);
    if (!summary) return;
    for (const [, count, kind] of summary[1].matchAll(/(\d+) (\w+)/g)) {
      // `todo` tests do not run either: they count as skipped.
      const key = kind === 'todo' ? 'skipped' : kind;
      if (key in counts) counts[key] += Number(count);
    }
  }

  /** `Tests: <P> passed, <F> failed` plus `, <S> skipped` when there are any. */
  const summaryLine = () => `Tests: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`;

  return { onLine, summaryLine, counts };
}
