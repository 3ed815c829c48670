import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

import { strFromU8, unzipSync } from 'fflate';

import { newUser } from './support/api';
import type { AppProcess } from './support/processes';
import { sleep, startApp } from './support/processes';

/** 1,000 notes of 100 KB, 10 per 1 MB import, 5 imports at a time: a 100 MB account. */
const NOTES = 1_000;
const NOTE_CHARS = 100_000;
const PER_IMPORT = 10;

/** The largest event-loop delay a process saw since the last scrape, ms (prom-client resets it on collect). */
async function loopLagMaxMs(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('nodejs_eventloop_lag_max_seconds'));
  return Number(line?.split(' ').pop() ?? NaN) * 1000;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

/** Resident memory of a process, bytes (VmRSS of /proc/<pid>/status). */
function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

/**
 * OWASP API4 (unrestricted resource consumption), the export: a 100 MB account is exported from a
 * gateway of its own while another user's reads keep their latency; the export streams (gRPC
 * stream → zip entries → HTTP with backpressure), so the gateway's RSS barely moves.
 */
describe('security: a whole-account export streams', () => {
  let gateway: AppProcess;
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
  const registerHere = async () => {
    const response = await call('POST', '/api/auth/register', undefined, newUser());
    if (response.status !== 201) throw new Error(`register: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.accessToken as string;
  };

  let owner: string;
  let other: string;

  beforeAll(async () => {
    gateway = await startApp('gateway', { AUTH_RATE_LIMIT: '0', API_RATE_LIMIT: '0' });
    [owner, other] = await Promise.all([registerHere(), registerHere()]);
    await call('POST', '/api/notes', other, { title: 'mine', text: 'other user' });

    // ~100 MB of hardly compressible text, imported 1 MB at a time, 5 requests in flight.
    const text = randomBytes((NOTE_CHARS * 3) / 4).toString('base64');
    const createdAt = new Date().toISOString();
    const batches = Array.from({ length: NOTES / PER_IMPORT }, (_, b) => b);
    const started = Date.now();
    for (let i = 0; i < batches.length; i += 5) {
      await Promise.all(
        batches.slice(i, i + 5).map(async (b) => {
          const notes = Array.from({ length: PER_IMPORT }, (_, n) => {
            const id = `seed-${b}-${n}`;
            return { id, title: `Big ${id}`, text: `${id} ${text}`.slice(0, NOTE_CHARS), tags: ['big'], isArchived: false, createdAt, updatedAt: createdAt, deletedAt: null };
          });
          // Set-up, not the test: a transient 503/504 of a busy machine is retried (importing again is safe).
          for (let attempt = 1; ; attempt++) {
            const response = await call('POST', '/api/users/me/import', owner, { notes, todos: [] });
            if (response.status === 200) break;
            if (attempt >= 5 || response.status < 503) throw new Error(`import: ${response.status} ${JSON.stringify(response.body)}`);
            await sleep(500 * attempt);
          }
        }),
      );
    }
    console.log(`seeded ${NOTES} notes of ${NOTE_CHARS / 1000} KB in ${Date.now() - started} ms`);
    // The seeding pushed 100 MB of JSON through this gateway, leaving its heap at whatever the
    // last GC made of it (its RSS was seen 50 MB apart between runs). The export is measured on a
    // fresh gateway, so "before" is the RSS of a warmed-up process, not of the seeding's garbage.
    await gateway.stop();
    gateway = await startApp('gateway', { AUTH_RATE_LIMIT: '0', API_RATE_LIMIT: '0' });
  }, 300_000);

  afterAll(async () => {
    if (owner) await call('DELETE', '/api/users/me', owner).catch(() => undefined);
    await gateway?.stop();
  });

  it("exports 100 MB as a valid, complete zip, gateway RSS growing < 50 MB, while another user's reads answer within 100 ms", async () => {
    // Warm up (code paths loaded, pools filled), and the same reads without an export, for comparison.
    const idle: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      expect((await call('GET', '/api/notes', other)).status).toBe(200);
      idle.push(performance.now() - t0);
      await sleep(10);
    }
    const idleLag = await loopLagMaxMs(gateway.url);
    const pid = gateway.child.pid as number;
    const before = rssOf(pid);
    let peak = before;
    let exporting = true;
    const sampler = (async () => {
      while (exporting) {
        peak = Math.max(peak, rssOf(pid));
        await sleep(20);
      }
    })();
    const latencies: number[] = [];
    const reader = (async () => {
      await sleep(200);
      while (exporting) {
        const t0 = performance.now();
        const response = await call('GET', '/api/notes', other);
        latencies.push(performance.now() - t0);
        expect(response.status).toBe(200);
        await sleep(10);
      }
    })();

    const started = Date.now();
    const response = await fetch(`${gateway.url}/api/users/me/export?format=markdown`, { headers: { authorization: `Bearer ${owner}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(chunk);
      bytes += chunk.byteLength;
    }
    exporting = false;
    await Promise.all([sampler, reader]);
    const seconds = (Date.now() - started) / 1000;
    const exportLag = await loopLagMaxMs(gateway.url);

    const zip = unzipSync(Buffer.concat(chunks));
    const notes = Object.keys(zip).filter((name) => name.startsWith('notes/'));
    const sample = strFromU8(zip[notes[NOTES / 2]]);
    const grownMb = (peak - before) / 1024 / 1024;
    console.log(
      `export: ${(bytes / 1024 / 1024).toFixed(1)} MB zip in ${seconds.toFixed(1)} s; RSS ${(before / 1024 / 1024).toFixed(0)} MB → peak +${grownMb.toFixed(1)} MB; ` +
        `${latencies.length} other reads: p50 ${percentile(latencies, 0.5).toFixed(1)} p95 ${percentile(latencies, 0.95).toFixed(1)} max ${Math.max(...latencies).toFixed(1)} ms ` +
        `(without an export: p50 ${percentile(idle, 0.5).toFixed(1)} max ${Math.max(...idle).toFixed(1)} ms); ` +
        `gateway event-loop delay max ${exportLag.toFixed(1)} ms (before: ${idleLag.toFixed(1)} ms); load ${loadavg()[0].toFixed(1)}`,
    );
    expect(notes).toHaveLength(NOTES);
    expect(Object.keys(zip)).toContain('todos.md');
    expect(sample).toMatch(/^---\nid: /);
    expect(sample.length).toBeGreaterThan(NOTE_CHARS);
    expect(grownMb).toBeLessThan(50);
    expect(latencies.length).toBeGreaterThan(5);
    // Within 100 ms: 99 % of them. On 2 cores the gateway, notes-service, MySQL (streaming 100 MB)
    // and this test share the CPU, and a single read was seen at 160 ms at load 2 (p95 17 ms); the
    // slowest is held to "no stall behind the export" (the former zipSync blocked the gateway for
    // seconds: every read during it waited 4.3 s).
    expect(percentile(latencies, 0.99)).toBeLessThan(100);
    expect(Math.max(...latencies)).toBeLessThan(500);
  }, 300_000);
});

/**
 * A whole-account import that runs out of time is one user's problem: it must not open the
 * notes-service circuit breaker, which would answer 503 to every other user.
 */
describe("security: one user's failing imports do not open the shared circuit breaker", () => {
  let notes: AppProcess;
  let gateway: AppProcess;
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, unknown> };
  };
  const breakerState = async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('micronote_circuit_breaker_state{') && l.includes('target="notes-service"'));
    return Number(line?.split(' ').pop());
  };

  beforeAll(async () => {
    notes = await startApp('notes-service');
    gateway = await startApp('gateway', {
      GRPC_NOTES_URL: `127.0.0.1:${notes.env['GRPC_PORT']}`,
      GRPC_DEADLINE_MS: '1000',
      GRPC_BULK_DEADLINE_MS: '1000',
      GRPC_RETRIES: '0',
      BREAKER_MIN_CALLS: '3',
      BREAKER_ERROR_PERCENT: '50',
      BREAKER_RESET_MS: '60000',
      READ_CACHE_TTL: '0',
      AUTH_RATE_LIMIT: '0',
      API_RATE_LIMIT: '0',
    });
  }, 60_000);

  afterAll(async () => {
    notes?.child.kill('SIGCONT');
    await Promise.all([gateway?.stop(), notes?.stop()]);
  });

  it('imports that hit their deadline leave the breaker closed; another user is still served', async () => {
    const register = async () => (await call('POST', '/api/auth/register', undefined, newUser())).body['accessToken'] as string;
    const [importer, other] = await Promise.all([register(), register()]);
    const createdAt = new Date().toISOString();
    const document = (n: number) => ({
      notes: [{ id: `slow-${n}`, title: 'slow', text: 'x', tags: [], isArchived: false, createdAt, updatedAt: createdAt, deletedAt: null }],
      todos: [],
    });

    // Connected and healthy first (a call of the other user), then notes-service hangs (stopped):
    // every import of the user runs out of its deadline.
    expect((await call('GET', '/api/notes', other)).status).toBe(200);
    notes.child.kill('SIGSTOP');
    try {
      const answers = await Promise.all([1, 2, 3, 4].map((n) => call('POST', '/api/users/me/import', importer, document(n))));
      // 504 (deadline) once connected; 503 if the hang caught the connection being set up. Both
      // count as infrastructure failures for a breaker.
      for (const answer of answers) expect([503, 504]).toContain(answer.status);
    } finally {
      notes.child.kill('SIGCONT');
    }

    expect(await breakerState()).toBe(0);
    const read = await call('GET', '/api/notes', other);
    expect(read.status).toBe(200);
  }, 30_000);
});
