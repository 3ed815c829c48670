#!/usr/bin/env node
// P19 (issue 19; issue 23's P9): the SPA's first-load JavaScript and its start from the service
// worker's cache.
//
//   node bench/spa-start.mjs [--runs 15] [--quick] [--no-build] [--json FILE]
//
// Starts one MicroNote system on free ports (the gateway serves the built SPA), registers a user,
// signs in once in Debian's Chromium (playwright-core) so that the service worker installs and
// precaches the build, then opens /notes `--runs` times in new tabs of that browser: each start
// is a visit of a returning, signed-in user with the worker active (the shell and every chunk
// from the cache, one session refresh and the first notes page over loopback). "Interactive" is
// when the notes screen's search box is in the page (performance.now() from the navigation's
// start, recorded in the page by a MutationObserver). Also sums the gzipped JavaScript of the
// first load (index.html's scripts and preloads, the worker and push-sw.js). Writes
// bench/results/<date>-spa-start.json (with `--json FILE`: FILE, for bench/run.mjs's row P19).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { databaseNames } from '../tools/scripts/lib/apps.mjs';
import { deleteRedisKeys, dropDatabases, ensureInfra, infraUrls } from '../tools/scripts/lib/infra.mjs';
import { installSignalHandlers, onShutdown, stopAll } from '../tools/scripts/lib/processes.mjs';
import { percentile } from './lib/measure.mjs';
import { startBenchSystem } from './lib/system.mjs';
import { postJson } from './lib/users.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    quick: { type: 'boolean' },
    'no-build': { type: 'boolean' },
    json: { type: 'string' },
  },
});
const RUNS = opts.quick ? 3 : Number(opts.runs);
const DB_SUFFIX = '_benchspa';
const REDIS_PREFIX = 'mnbenchspa:';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WEB_DIST = resolve(ROOT, 'dist/apps/web');

async function cleanInfra() {
  const { mysqlUrl, redisUrl } = infraUrls();
  await dropDatabases(mysqlUrl, databaseNames(DB_SUFFIX));
  await deleteRedisKeys(redisUrl, `${REDIS_PREFIX}*`);
}

/** The gzipped size of every script a first visit loads, from the build. */
function firstLoadJs() {
  const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  const scripts = [
    ...[...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]),
    '/sw.js',
    '/push-sw.js',
  ];
  const files = [...new Set(scripts)].map((src) => {
    const body = readFileSync(join(WEB_DIST, src));
    return { src, bytes: body.length, gzipped: gzipSync(body, { level: 9 }).length };
  });
  return { totalGzipped: files.reduce((sum, f) => sum + f.gzipped, 0), files };
}

/** Records in every page when the notes screen's search box appears (ms since the navigation started). */
function markInteractive() {
  const check = () => {
    if (window.__interactiveAt === undefined && document.querySelector('[role="search"]')) window.__interactiveAt = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
}

async function main() {
  installSignalHandlers();
  onShutdown(cleanInfra);
  await ensureInfra();
  await cleanInfra();
  const { system } = await startBenchSystem({ dbSuffix: DB_SUFFIX, redisPrefix: REDIS_PREFIX, build: !opts['no-build'] });
  const web = system.gatewayUrl;
  const id = Date.now().toString(36);
  const user = { name: 'Bench Start', email: `spa_${id}@example.com`, username: `spa_${id}`, password: `pw-${id}-long-enough` };
  const registered = await postJson(`${web}/api/auth/register`, user);
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}: ${JSON.stringify(registered.body)}`);
  const token = registered.body.accessToken;
  for (let i = 0; i < 20; i++)
    await postJson(
      `${web}/api/notes`,
      { title: `Note ${i}`, text: `bench note ${i}`, tags: ['bench'] },
      { headers: { authorization: `Bearer ${token}` } },
    );

  const profile = mkdtempSync(join(tmpdir(), 'mn-bench-spa-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const starts = [];
  try {
    await context.addInitScript(markInteractive);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${web}/login`);
    await page.getByLabel('Username or email', { exact: true }).fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('search').waitFor();
    // The worker has installed (precached the build) and controls the tab.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    for (let run = 0; run < RUNS + 2; run++) {
      const tab = await context.newPage();
      await tab.goto(`${web}/notes`);
      await tab.waitForFunction(() => window.__interactiveAt !== undefined, null, { timeout: 10_000 });
      const sample = await tab.evaluate(() => {
        const navigation = performance.getEntriesByType('navigation')[0];
        return {
          interactiveMs: window.__interactiveAt,
          fromWorker: navigator.serviceWorker.controller !== null && navigation.workerStart > 0,
          domContentLoadedMs: navigation.domContentLoadedEventEnd,
        };
      });
      await tab.close();
      // The first two warm Chromium's own caches (V8 code cache); they are not counted.
      if (run >= 2) starts.push(sample);
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    await stopAll();
    await cleanInfra();
  }

  const sorted = starts.map((s) => s.interactiveMs).sort((a, b) => a - b);
  const result = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    runs: RUNS,
    firstLoad: firstLoadJs(),
    cachedStart: {
      p50: Math.round(percentile(sorted, 50)),
      p95: Math.round(percentile(sorted, 95)),
      max: Math.round(sorted.at(-1)),
      allFromWorker: starts.every((s) => s.fromWorker),
    },
    samples: starts,
  };
  console.log(`\nP19 first-load JavaScript: ${(result.firstLoad.totalGzipped / 1024).toFixed(1)} KB gzipped (target ≤ 200 KB)`);
  console.log(
    `P19 start from the worker's cache, signed in, navigation → notes screen: p50 ${result.cachedStart.p50} ms, p95 ${result.cachedStart.p95} ms, max ${result.cachedStart.max} ms over ${RUNS} (target ≤ 500 ms); all from the worker: ${result.cachedStart.allFromWorker}`,
  );
  const file = opts.json ?? resolve(ROOT, 'bench/results', `${new Date().toISOString().slice(0, 10)}-spa-start.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(`written to ${file}`);
}

main().then(
  () => process.exit(0),
  async (error) => {
    console.error(error.message);
    await stopAll();
    await cleanInfra();
    process.exit(1);
  },
);
