// A notes-service that dies (kill -9) or hangs, behind a gateway balancing over two of them:
// reads keep working, writes with an Idempotency-Key are never lost and never doubled, the
// gateway answers 503 fast while nothing is there, and everything recovers by itself.
import { randomBytes } from 'node:crypto';

import type { RowDataPacket } from 'mysql2';
import { createConnection } from 'mysql2/promise';

import { register } from './support/api';
import type { AppProcess } from './support/processes';
import { sleep, startApp } from './support/processes';

const DEADLINE_MS = 500;

/** Sum of micronote_grpc_server_handled_total for one method in a /metrics text. */
async function handled(app: AppProcess, method: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('micronote_grpc_server_handled_total{') && line.includes(`grpc_method="${method}"`))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

describe('a notes-service that dies or hangs (two of them behind one gateway)', () => {
  let a: AppProcess;
  let b: AppProcess;
  let gateway: AppProcess;
  let token: string;
  let gatewayEnv: Record<string, string>;
  const run = randomBytes(3).toString('hex');

  const notesAt = (service: AppProcess) => `127.0.0.1:${service.env['GRPC_PORT']}`;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const started = performance.now();
    try {
      const response = await fetch(`${gateway.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown>, ms: performance.now() - started };
    } catch {
      return { status: 0, body: {}, ms: performance.now() - started };
    }
  };

  beforeAll(async () => {
    [a, b] = await Promise.all([startApp('notes-service'), startApp('notes-service')]);
    gatewayEnv = {
      GRPC_NOTES_URL: `${notesAt(a)},${notesAt(b)}`,
      GRPC_DEADLINE_MS: String(DEADLINE_MS),
      BREAKER_MIN_CALLS: '5',
      BREAKER_RESET_MS: '1000',
      AUTH_RATE_LIMIT: '100000',
      API_RATE_LIMIT: '100000',
      // Every read must reach a notes-service: no edge cache in front of the processes under test.
      READ_CACHE_TTL: '0',
    };
    gateway = await startApp('gateway', gatewayEnv);
    token = (await register()).accessToken;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([gateway, a, b].map((app) => app?.stop()));
  });

  it('balances calls over both processes (round robin over the comma list)', async () => {
    const before = [await handled(a, 'listNotes'), await handled(b, 'listNotes')];
    for (let i = 0; i < 40; i++) expect((await call('GET', '/api/notes')).status).toBe(200);
    const served = [(await handled(a, 'listNotes')) - before[0], (await handled(b, 'listNotes')) - before[1]];
    expect(served[0] + served[1]).toBe(40);
    expect(Math.min(...served)).toBeGreaterThanOrEqual(10);
  });

  it('keeps serving reads when one of them is killed (retried on the other)', async () => {
    await a.crash();
    const statuses = [];
    for (let i = 0; i < 30; i++) statuses.push((await call('GET', '/api/notes')).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    a = await startApp('notes-service', { GRPC_PORT: a.env['GRPC_PORT'] });
  }, 30_000);

  it('answers 503 within the deadline (+100 ms) when every process hangs, then at once once the breaker is open', async () => {
    // A gateway of its own: its breaker has seen no successes in the window (opossum counts a
    // failure percentage over 10 s, so the earlier tests' successes would delay the opening).
    const own = await startApp('gateway', gatewayEnv);
    const hungGateway = own;
    const at = (path: string, method = 'GET', body?: unknown) =>
      fetch(`${hungGateway.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }));
    const timed = async (path: string, method = 'GET', body?: unknown) => {
      const started = performance.now();
      const response = await at(path, method, body);
      return { ...response, ms: performance.now() - started };
    };
    a.child.kill('SIGSTOP');
    b.child.kill('SIGSTOP');
    try {
      const first = await timed('/api/notes/1');
      expect(first.status).toBe(503);
      expect(first.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(first.ms).toBeLessThan(DEADLINE_MS + 100);
      // A write is not retried: it answers at its deadline too.
      const write = await timed('/api/notes', 'POST', { title: 'hung', text: 'x' });
      expect(write.status).toBe(503);
      expect(write.ms).toBeLessThan(DEADLINE_MS + 100);
      await Promise.all(Array.from({ length: 5 }, () => at('/api/notes/1')));
      const fast = await timed('/api/notes/1');
      expect(fast.status).toBe(503);
      expect(fast.body['message']).toBe('notes-service is unavailable, try again shortly'); // the open breaker's answer
      expect(fast.ms).toBeLessThan(DEADLINE_MS / 4); // not a wait for the deadline (typically a few ms)
      // Other services are not affected by the notes-service breaker.
      expect((await at('/api/todos')).status).toBe(200);
    } finally {
      a.child.kill('SIGCONT');
      b.child.kill('SIGCONT');
    }
    const recovered = Date.now();
    while ((await at('/api/notes')).status !== 200) {
      expect(Date.now() - recovered).toBeLessThan(5_000);
      await sleep(100);
    }
    await own.stop();
  }, 30_000);

  it('rolling restart (SIGTERM, start again, one at a time) under load: every process exits 0, nothing lost or doubled', async () => {
    const TOTAL = 150;
    const acked = new Map<number, string>();
    const answers = new Map<number, number>();
    let next = 0;
    let restarting = true;
    const exitCodes: (number | null)[] = [];
    const count = (status: number) => answers.set(status, (answers.get(status) ?? 0) + 1);

    const writer = async () => {
      while (next < TOTAL) {
        const n = next++;
        for (;;) {
          const response = await call('POST', '/api/notes', { title: `rolling ${run} ${n}`, text: 'x' }, { 'idempotency-key': `rolling-${run}-${n}` });
          count(response.status);
          if (response.status === 201) {
            acked.set(n, String(response.body['id']));
            break;
          }
          expect([503, 409, 0]).toContain(response.status);
          await sleep(20);
        }
      }
    };
    const reader = async () => {
      while (restarting || next < TOTAL) {
        count((await call('GET', '/api/notes?limit=5')).status);
        await sleep(5);
      }
    };
    const roll = async () => {
      for (const which of ['a', 'b'] as const) {
        while (acked.size < (which === 'a' ? 20 : 70)) await sleep(10);
        const old = which === 'a' ? a : b;
        exitCodes.push(await old.stop());
        const fresh = await startApp('notes-service', { GRPC_PORT: old.env['GRPC_PORT'] });
        if (which === 'a') a = fresh;
        else b = fresh;
      }
      restarting = false;
    };
    await Promise.all([writer(), writer(), writer(), reader(), roll()]);

    console.log(`rolling restart: ${TOTAL} acknowledged writes; answers ${JSON.stringify(Object.fromEntries(answers))}`);
    expect(exitCodes).toEqual([0, 0]);
    expect(acked.size).toBe(TOTAL);
    const db = await createConnection(`${process.env['MYSQL_URL']}/micronote_notes${process.env['DB_SUFFIX'] ?? ''}`);
    try {
      const [rows] = await db.query<RowDataPacket[]>('SELECT id, title FROM notes WHERE title LIKE ?', [`rolling ${run} %`]);
      expect(rows).toHaveLength(TOTAL);
      const ids = new Map(rows.map((r) => [String(r['title']), String(r['id'])]));
      for (const [n, id] of acked) expect(ids.get(`rolling ${run} ${n}`)).toBe(id);
    } finally {
      await db.end();
    }
  }, 90_000);

  it('kill -9 of every notes-service during a stream of acknowledged writes: none lost, none twice, 503 fast, recovery < 5 s', async () => {
    const TOTAL = 120;
    const acked = new Map<number, string>(); // note number → id
    const outage503: number[] = [];
    let next = 0;
    let killedAt = 0;
    let restartedAt = 0;
    let firstSuccessAfterRestart = 0;

    const writer = async () => {
      while (next < TOTAL) {
        const n = next++;
        const key = `outage-${run}-${n}`;
        for (;;) {
          const response = await call('POST', '/api/notes', { title: `outage ${run} ${n}`, text: 'keep me' }, { 'idempotency-key': key });
          if (response.status === 201) {
            acked.set(n, String(response.body['id']));
            if (restartedAt && !firstSuccessAfterRestart) firstSuccessAfterRestart = Date.now();
            break;
          }
          // 503 while the service is down; 409 IDEMPOTENCY_IN_PROGRESS while an earlier attempt still runs.
          expect([503, 409, 0]).toContain(response.status);
          if (response.status === 503 && killedAt && !restartedAt) outage503.push(response.ms);
          await sleep(50);
        }
      }
    };
    const chaos = async () => {
      while (acked.size < 30) await sleep(10);
      killedAt = Date.now();
      await Promise.all([a.crash(), b.crash()]);
      await sleep(2_000);
      [a, b] = await Promise.all([
        startApp('notes-service', { GRPC_PORT: a.env['GRPC_PORT'] }),
        startApp('notes-service', { GRPC_PORT: b.env['GRPC_PORT'] }),
      ]);
      // Back: both processes answer their readiness probe; from here the gateway must find them by itself.
      restartedAt = Date.now();
    };
    await Promise.all([writer(), writer(), writer(), writer(), chaos()]);

    expect(acked.size).toBe(TOTAL);
    outage503.sort((x, y) => x - y);
    const p99 = outage503[Math.floor(outage503.length * 0.99)] ?? 0;
    console.log(
      `kill -9: ${TOTAL} acknowledged writes, ${outage503.length} answers of 503 during the outage (p50 ${outage503[Math.floor(outage503.length / 2)]?.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms); first acknowledged write ${firstSuccessAfterRestart - restartedAt} ms after the restarted processes were ready`,
    );
    expect(outage503.length).toBeGreaterThan(0);
    expect(p99).toBeLessThan(200);
    expect(firstSuccessAfterRestart - restartedAt).toBeLessThan(5_000);

    // Every acknowledged note is in the database exactly once, and nothing else was written.
    const db = await createConnection(`${process.env['MYSQL_URL']}/micronote_notes${process.env['DB_SUFFIX'] ?? ''}`);
    try {
      const [rows] = await db.query<RowDataPacket[]>('SELECT id, title FROM notes WHERE title LIKE ?', [`outage ${run} %`]);
      const titles = rows.map((r) => String(r['title']));
      expect(new Set(titles).size).toBe(titles.length);
      expect(titles).toHaveLength(TOTAL);
      const ids = new Map(rows.map((r) => [String(r['title']), String(r['id'])]));
      for (const [n, id] of acked) expect(ids.get(`outage ${run} ${n}`)).toBe(id);
    } finally {
      await db.end();
    }
  }, 90_000);
});
