// Reminders fire exactly once (README "Todos: reminders"), against real processes: two
// todos-service replicas (each a scheduler) on a todos database of their own, two gateways on
// them, four tabs (two on each gateway). Every reminder reaches every tab once; with every
// scheduler killed (-9) the reminders that fall due meanwhile fire once after a restart, marked
// late; a reminder moved, snoozed, completed or deleted before its time never fires.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

import type { ChangeEvent, Todo } from '@micronote/contracts';
import { createConnection } from 'mysql2/promise';

import { register } from './support/api';
import type { AppProcess } from './support/processes';
import { sleep, startApp } from './support/processes';
import type { Tab } from './support/realtime';
import { connect } from './support/realtime';

const MYSQL_URL = process.env['MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306';

describe('reminders: two schedulers, two gateways, kill -9', () => {
  const dbName = `micronote_todos_rem_${randomBytes(3).toString('hex')}`;
  let schedulers: AppProcess[] = [];
  let gateways: AppProcess[] = [];
  let token: string;
  let tabs: Tab[] = [];

  const todosEnv = (extra: Record<string, string> = {}) => ({ DB_NAME: dbName, REMINDER_POLL_MS: '100', ...extra });
  const grpcOf = (app: AppProcess) => `127.0.0.1:${app.env['GRPC_PORT']}`;
  const call = async <T = Todo>(method: string, path: string, body?: unknown, gateway = gateways[0]) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const createWithReminder = async (text: string, at: Date) => {
    const created = await call('POST', '/api/todos', { text, remindAt: at.toISOString() });
    expect(created.status).toBe(201);
    expect(created.body.remindAt).toBe(at.toISOString());
    return created.body;
  };
  const remindersIn = (tab: Tab) => tab.events.filter((event): event is ChangeEvent & { todoId: string } => event.type === 'REMINDER');
  /** Per tab: how many REMINDER events each of these todos got. */
  const tally = (ids: string[]) =>
    tabs.map((tab) => Object.fromEntries(ids.map((id) => [id, remindersIn(tab).filter((event) => event.todoId === id).length])));
  const once = (ids: string[]) => tabs.map(() => Object.fromEntries(ids.map((id) => [id, 1])));
  const waitForReminders = async (ids: string[], ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline && !tabs.every((tab) => ids.every((id) => remindersIn(tab).some((event) => event.todoId === id))))
      await sleep(50);
  };

  beforeAll(async () => {
    // A todos database of their own, so that no other scheduler (the test system's) fires these reminders.
    execFileSync(process.execPath, [resolve(__dirname, '../../../dist/apps/todos-service/main.js'), 'migrate'], {
      env: { ...process.env, DB_NAME: dbName, LOG_LEVEL: 'warn' },
      stdio: 'inherit',
    });
    schedulers = await Promise.all([startApp('todos-service', todosEnv()), startApp('todos-service', todosEnv())]);
    const todosUrl = schedulers.map(grpcOf).join(',');
    gateways = await Promise.all([
      startApp('gateway', { GRPC_TODOS_URL: todosUrl, READ_CACHE_TTL: '0', API_RATE_LIMIT: '100000' }),
      startApp('gateway', { GRPC_TODOS_URL: todosUrl, READ_CACHE_TTL: '0', API_RATE_LIMIT: '100000' }),
    ]);
    token = (await register()).accessToken;
    tabs = await Promise.all([gateways[0], gateways[0], gateways[1], gateways[1]].map((gateway) => connect(token, { url: gateway.url })));
  }, 90_000);

  afterAll(async () => {
    tabs.forEach((tab) => tab.close());
    await Promise.all([...gateways, ...schedulers].map((app) => app?.stop()));
    const db = await createConnection(MYSQL_URL);
    await db.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await db.end();
  }, 30_000);

  it('sends every reminder to every tab once, on time, wherever the tab is and whichever scheduler fires it', async () => {
    const start = Date.now() + 2_000;
    const todos = [];
    for (let i = 0; i < 20; i++) todos.push(await createWithReminder(`remind ${i}`, new Date(start + (i % 5) * 300)));
    const ids = todos.map((todo) => todo.id);
    await waitForReminders(ids, 10_000);
    await sleep(1_000); // any second copy would have arrived by now
    expect(tally(ids)).toEqual(once(ids));
    for (const event of remindersIn(tabs[0])) {
      expect(event.late).toBe(false);
      expect(event.todo?.remindAt).toBeTruthy();
      // Published at most ~a poll interval after its time (on a loaded CI machine: well under the late mark).
      expect(Date.parse(event.at) - Date.parse(event.todo?.remindAt as string)).toBeLessThan(5_000);
    }
    const fired = await Promise.all(schedulers.map(firedBy));
    expect(fired.reduce((a, b) => a + b, 0)).toBe(20);
  }, 30_000);

  it('never fires a reminder moved, snoozed, completed or deleted before its time; the others fire once', async () => {
    const at = new Date(Date.now() + 2_500);
    const [moved, snoozed, completed, deleted, kept] = await Promise.all(
      ['moved', 'snoozed', 'completed', 'deleted', 'kept'].map((text) => createWithReminder(text, at)),
    );
    const later = new Date(Date.now() + 3_600_000).toISOString();
    expect((await call('PATCH', `/api/todos/${moved.id}`, { remindAt: later })).body.remindAt).toBe(later);
    const snooze = await call('POST', `/api/todos/${snoozed.id}/snooze`, { minutes: 30 }, gateways[1]);
    expect(snooze.status).toBe(200);
    expect(Date.parse(snooze.body.remindAt as string)).toBeGreaterThan(Date.now() + 29 * 60_000);
    expect((await call('PATCH', `/api/todos/${completed.id}`, { completed: true })).status).toBe(200);
    expect((await call('DELETE', `/api/todos/${deleted.id}`)).status).toBe(204);
    const all = [moved.id, snoozed.id, completed.id, deleted.id, kept.id];
    await waitForReminders([kept.id], 10_000);
    await sleep(1_500);
    expect(tally(all)).toEqual(tabs.map(() => ({ [moved.id]: 0, [snoozed.id]: 0, [completed.id]: 0, [deleted.id]: 0, [kept.id]: 1 })));
  }, 30_000);

  it('fires what fell due while every scheduler was killed (-9) once after a restart, marked late; new ones on time', async () => {
    const start = Date.now() + 1_500;
    const missed = [];
    for (let i = 0; i < 6; i++) missed.push(await createWithReminder(`while down ${i}`, new Date(start + i * 200)));
    await Promise.all(schedulers.map((scheduler) => scheduler.crash()));
    // Everything falls due with no scheduler running, and is well past the late mark (5 s).
    await sleep(Math.max(0, start + 1_000 - Date.now()) + 6_000);
    const ids = missed.map((todo) => todo.id);
    expect(tally(ids)).toEqual(tabs.map(() => Object.fromEntries(ids.map((id) => [id, 0]))));
    schedulers = await Promise.all(schedulers.map((old) => startApp('todos-service', todosEnv({ GRPC_PORT: old.env['GRPC_PORT'] }))));
    await waitForReminders(ids, 15_000);
    await sleep(1_000);
    expect(tally(ids)).toEqual(once(ids));
    expect(
      remindersIn(tabs[2])
        .filter((event) => ids.includes(event.todoId))
        .every((event) => event.late === true),
    ).toBe(true);
    // After the restart a new reminder is on time again.
    const fresh = await createWithReminder('after restart', new Date(Date.now() + 1_500));
    await waitForReminders([fresh.id], 10_000);
    await sleep(500);
    expect(tally([fresh.id])).toEqual(once([fresh.id]));
    expect(remindersIn(tabs[0]).find((event) => event.todoId === fresh.id)?.late).toBe(false);
  }, 90_000);

  it('answers bad reminder input with clear 400s', async () => {
    const todo = await createWithReminder('bad input', new Date(Date.now() + 3_600_000));
    const cases: [string, string, unknown][] = [
      ['POST', '/api/todos', { text: 'x', remindAt: '2026-13-01T09:00:00Z' }],
      ['POST', '/api/todos', { text: 'x', remindAt: '2026-05-01' }],
      ['POST', '/api/todos', { text: 'x', remindAt: '2001-05-01T09:00:00Z' }],
      ['POST', `/api/todos/${todo.id}/snooze`, { minutes: 0 }],
      ['POST', `/api/todos/${todo.id}/snooze`, { minutes: 100_000 }],
      ['POST', `/api/todos/${todo.id}/snooze`, { minutes: 'ten' }],
    ];
    for (const [method, path, body] of cases) {
      const response = await call<{ message: string | string[] }>(method, path, body);
      expect({ path, body, status: response.status }).toEqual({ path, body, status: 400 });
      expect(String(response.body.message)).toMatch(/remindAt|minutes/);
    }
    expect((await call('PATCH', `/api/todos/${todo.id}`, { completed: true })).status).toBe(200);
    const done = await call<{ message: string | string[] }>('POST', `/api/todos/${todo.id}/snooze`, {});
    expect(done.status).toBe(400);
    expect(String(done.body.message)).toMatch(/completed/);
    expect((await call('POST', '/api/todos/999999999/snooze', {})).status).toBe(404);
  });
});

/** micronote_reminders_fired_total of one scheduler. */
async function firedBy(app: AppProcess): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('micronote_reminders_fired_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}
