// Reporting helpers shared by the realtime benches: percentiles of a sample, a plain-text table,
// and the results file bench/results/<date>-<name>.json (or another file).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { percentile } from './measure.mjs';
import { machine } from './proc.mjs';

const RESULTS = resolve(fileURLToPath(new URL('../results', import.meta.url)));

/** `{ n, p50, p95, p99, max }` of `values` (ms), rounded to 0.01; all NaN when empty. */
export function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value) => Math.round(value * 100) / 100;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

/** Prints `rows` (arrays of cells) under `header` as an aligned, pipe-separated table (columns of numbers right-aligned). */
export function printTable(header, rows) {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  const numeric = (cell) => /^[-+]?[\d.,]+( ?[a-zA-Z%]+)?$|^NaN$/.test(cell);
  const right = header.map((_, i) => i > 0 && rows.length > 0 && rows.every((row) => numeric(String(row[i]))));
  const line = (row) => row.map((cell, i) => (right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ');
  console.log(line(cells[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of cells.slice(1)) console.log(line(row));
}

export const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** bench/results/<date>-<name>.json, or <date>.json without a name. */
export const resultFile = (name) => resolve(RESULTS, `${new Date().toISOString().slice(0, 10)}${name ? `-${name}` : ''}.json`);

/** Writes `data` (plus the time and machine facts) to `file` (default: resultFile(name)); returns the path. */
export function writeResult(name, data, file = resultFile(name)) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine: machine(), ...data }, null, 2) + '\n');
  return file;
}
