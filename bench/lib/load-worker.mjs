// A load-generator process of bench/run.mjs (started by load.mjs, pinned to one core with taskset
// where it exists): it receives one job over IPC, answers one result and exits (also when the
// parent goes away). Jobs:
//   { kind: 'http', url, method, body?, tokens, connections, seconds }
//     autocannon, closed loop, no pipelining (pipelining: 1); request i carries tokens[i % n]
//     → { perSecond, total, non2xx, errors, timeouts, statusCodes }
//   { kind: 'paced', target, rate, seconds, … }
//     open loop: call i starts at start + i/rate whatever the earlier ones do; each call timed with
//     performance.now() (autocannon's latency histogram counts whole milliseconds). Targets:
//       'http'   GET `url` with tokens[i % n] (non-200 answers are counted, not timed)
//       'grpc'   NotesService.ListNotes at `grpcUrl` for userIds[i % n], limit `limit`
//       'inproc' the same page computed here: notes-sql.mjs listNotes on a pool of database `db`
//     → { n, p50, p95, p99, max, non2xx, errors, firstError, worstLateMs }
//   { kind: 'inserts', db, userIds, connections, seconds }
//     closed loop: `connections` INSERTs of BENCH_NOTE (notes-sql.mjs) in flight at a time, on a pool of that size
//     → { perSecond, total, errors, firstError }
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import autocannon from 'autocannon';

import { infraUrls } from '../../tools/scripts/lib/infra.mjs';
import { insertNote, listNotes, notesPool } from '../baseline/notes-sql.mjs';
import { notesClient } from './notes-grpc.mjs';
import { summary } from './report.mjs';

async function http({ url, method = 'GET', body, tokens, connections, seconds }) {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    pipelining: 1,
    requests: [
      {
        method,
        ...(body && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } }),
      },
    ],
  });
  return {
    perSecond: result.requests.total / result.duration,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
  };
}

/** One GET over `agent`; resolves to the status code. */
const getStatus = (url, agent, headers) =>
  new Promise((resolvePromise, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolvePromise(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });

/** `{ call(i) → Promise<boolean ok>, close() }` for a paced job. */
function pacedTarget(job) {
  if (job.target === 'http') {
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    return {
      call: async (i) => (await getStatus(job.url, agent, { authorization: `Bearer ${job.tokens[i % job.tokens.length]}` })) === 200,
      close: () => agent.destroy(),
    };
  }
  if (job.target === 'grpc') {
    const client = notesClient(job.grpcUrl);
    return {
      call: async (i) => Boolean(await client.listFirstPage(String(job.userIds[i % job.userIds.length]), job.limit, `bench-${i}`)),
      close: () => client.close(),
    };
  }
  const pool = notesPool(infraUrls().mysqlUrl, job.db);
  return {
    call: async (i) => Boolean(await listNotes(pool, String(job.userIds[i % job.userIds.length]), job.limit)),
    close: () => pool.end(),
  };
}

async function paced(job) {
  const target = pacedTarget(job);
  const count = Math.round(job.rate * job.seconds);
  const interval = 1000 / job.rate;
  const samples = [];
  const failures = { non2xx: 0, errors: 0, firstError: undefined };
  const inFlight = [];
  let worstLateMs = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    else worstLateMs = Math.max(worstLateMs, -wait);
    const t0 = performance.now();
    inFlight.push(
      target.call(i).then(
        (ok) => (ok ? samples.push(performance.now() - t0) : failures.non2xx++),
        (error) => {
          failures.errors++;
          failures.firstError ??= error.message;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  await target.close();
  return { ...summary(samples), ...failures, worstLateMs: Math.round(worstLateMs * 100) / 100 };
}

async function inserts({ db, userIds, connections, seconds }) {
  const pool = notesPool(infraUrls().mysqlUrl, db, connections);
  // Open every connection first: the HTTP side's connections are open too (the gateway's pool is warm).
  await Promise.all(Array.from({ length: connections }, () => pool.query('SELECT 1')));
  const outcome = { total: 0, errors: 0, firstError: undefined };
  const started = performance.now();
  const until = started + seconds * 1000;
  const loop = async (first) => {
    for (let i = first; performance.now() < until; i += connections) {
      try {
        await insertNote(pool, String(userIds[i % userIds.length]));
        outcome.total++;
      } catch (error) {
        outcome.errors++;
        outcome.firstError ??= error.message;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, c) => loop(c)));
  const elapsed = performance.now() - started;
  await pool.end();
  return { perSecond: (outcome.total / elapsed) * 1000, ...outcome };
}

const JOBS = { http, paced, inserts };

process.once('message', async (job) => {
  let answer;
  try {
    answer = { ok: true, result: await JOBS[job.kind](job) };
  } catch (error) {
    answer = { ok: false, error: error.stack ?? String(error) };
  }
  process.send(answer, () => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
