import type { EventEnvelope } from '@micronote/events';
import { EventLog } from '@micronote/events';
import type { todosV1 } from '@micronote/proto';
import { PUSH_QUEUE, pushJobId, PushQueue, pushQueueConnection } from '@micronote/push';
import { callUnary } from '@micronote/server-core';
import type { grpcTestClient } from '@micronote/server-testing';
import { testIdentity } from '@micronote/server-testing';
import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';

import { ReminderScheduler } from '../src/todos/reminder-scheduler';
import { TodosRepository } from '../src/todos/todos.repository';
import { startTodosTestService } from './support/todos-test-service';

/**
 * The reminder scheduler on real MariaDB and Redis: replicas racing for the same due reminders,
 * a crash between publishing and committing, and the changes that must stop an old reminder.
 * The schedulers here run on a clock of their own (set ahead), so nothing waits for real time;
 * the app's own scheduler is off (REMINDERS_ENABLED=false).
 */
describe('todos-service reminders (real MariaDB + Redis)', () => {
  let service: Awaited<ReturnType<typeof startTodosTestService>>;
  let env: Record<string, string>;
  let app: INestApplication;
  let client: ReturnType<typeof grpcTestClient<todosV1.TodosServiceClient>>;
  let dataSource: DataSource;
  let events: EventLog;
  let nextUser = 9100;
  const newUser = () => String(nextUser++);
  let schedulerNow = new Date();
  /** The Web Push queue, read as the user-service worker would (no worker runs here: jobs wait). */
  let pushQueue: Queue;
  let closePushQueue: () => Promise<void>;
  const pushJobs = () => pushQueue.getJobCountByTypes('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');

  const call = <M extends keyof todosV1.TodosServiceClient>(method: M, request: object, userId: string) =>
    callUnary(client.service, method as never, request as never, {
      deadlineMs: 20_000,
      identity: testIdentity('todos-service', userId),
    }) as Promise<todosV1.Todo>;
  const create = (userId: string, remindAt: Date, extra: object = {}) =>
    call(
      'createTodo',
      {
        userId,
        text: 'remind me',
        priority: '',
        clientId: '',
        listId: '',
        parentId: '',
        timeZone: '',
        remindAt: remindAt.toISOString(),
        ...extra,
      },
      userId,
    );
  const scheduler = (repo = app.get(TodosRepository)) =>
    new ReminderScheduler(repo, events, app.get(PushQueue), { now: () => schedulerNow }, app.get(ConfigService));
  /** Polls until a poll fires nothing. */
  const drain = async (s: ReminderScheduler) => {
    let fired = 0;
    for (let n = await s.poll(); n > 0; n = await s.poll()) fired += n;
    return fired;
  };
  const reminders = async (userId: string): Promise<EventEnvelope[]> =>
    (await events.replay(userId, '0-0')).events.filter((event) => event.type === 'REMINDER');

  beforeAll(async () => {
    service = await startTodosTestService({ REMINDERS_ENABLED: 'false', REMINDER_BATCH: '25' });
    ({ env, app, client } = service);
    dataSource = app.get(DataSource);
    events = app.get(EventLog);
    const { redis, connection, prefix } = pushQueueConnection(
      { REDIS_URL: env['REDIS_URL'], REDIS_KEY_PREFIX: env['REDIS_KEY_PREFIX'] },
      'producer',
    );
    pushQueue = new Queue(PUSH_QUEUE, { connection, prefix });
    closePushQueue = async () => {
      await pushQueue.close();
      redis.disconnect();
    };
  });

  // Each test sees only its own reminders: what an earlier one left pending is over.
  afterEach(() => dataSource.query('UPDATE todos SET reminder_state = 2 WHERE reminder_due IS NOT NULL'));

  afterAll(async () => {
    await closePushQueue?.();
    await service?.close();
  });

  it('fires every due reminder exactly once with three schedulers racing, and none that is not due yet', async () => {
    const users = [newUser(), newUser(), newUser()];
    const at = new Date(Date.now() + 60_000);
    const todos = [];
    for (let i = 0; i < 120; i++) todos.push(await create(users[i % 3], new Date(at.getTime() + (i % 10) * 1_000)));
    const later = await create(users[0], new Date(at.getTime() + 3_600_000));
    schedulerNow = new Date(at.getTime() + 10_000);
    const fired = await Promise.all([drain(scheduler()), drain(scheduler()), drain(scheduler())]);
    expect(fired.reduce((a, b) => a + b, 0)).toBe(120);
    // Each replica took part of the work (SKIP LOCKED hands each one other rows).
    expect(fired.filter((n) => n > 0).length).toBeGreaterThan(1);
    const seen = (await Promise.all(users.map(reminders))).flat();
    expect(seen).toHaveLength(120);
    expect(new Set(seen.map((e) => (e as { todoId: string }).todoId))).toEqual(new Set(todos.map((t) => t.id)));
    expect(seen.map((e) => e.userId).sort()).toEqual(todos.map((t, i) => users[i % 3]).sort());
    expect(seen.some((e) => (e as { todoId: string }).todoId === later.id)).toBe(false);
    const [{ pending }] = await dataSource.query('SELECT COUNT(*) AS pending FROM todos WHERE reminder_due IS NOT NULL');
    expect(Number(pending)).toBe(1);
    // One Web Push job per reminder, named by it, for its owner.
    expect(await pushJobs()).toBe(120);
    const job = await pushQueue.getJob(pushJobId(`reminder:${todos[0].id}:1`));
    expect(job?.data).toMatchObject({
      userId: users[0],
      payload: { type: 'REMINDER', todoId: todos[0].id, text: 'remind me', late: true }, // due 10 s before the scheduler's clock,
    });
  });

  it('marks a reminder late when it fires more than lateAfterMs after its time, and carries the todo', async () => {
    const user = newUser();
    const at = new Date(Date.now() + 60_000);
    const onTime = await create(user, at);
    const missed = await create(user, new Date(at.getTime() - 30_000));
    schedulerNow = new Date(at.getTime() + 1_000);
    await drain(scheduler());
    const seen = await reminders(user);
    const byId = new Map(seen.map((e) => [(e as { todoId: string }).todoId, e as EventEnvelope & { late: boolean; todo: todosV1.Todo }]));
    expect(byId.get(onTime.id)).toMatchObject({ late: false, todo: { id: onTime.id, text: 'remind me', remindAt: at.toISOString() } });
    expect(byId.get(missed.id)?.late).toBe(true);
  });

  it('publishes once when a scheduler dies between publishing and committing: the next poll only records it', async () => {
    const user = newUser();
    const at = new Date(Date.now() + 60_000);
    const todo = await create(user, at);
    schedulerNow = new Date(at.getTime() + 500);
    const repo = app.get(TodosRepository);
    const crashing = Object.create(repo) as TodosRepository;
    crashing.markRemindersFired = async () => {
      throw new Error('killed before the commit');
    };
    const jobsBefore = await pushJobs();
    await expect(scheduler(crashing).poll()).rejects.toThrow('killed before the commit');
    expect(await reminders(user)).toHaveLength(1);
    const [{ state }] = await dataSource.query('SELECT reminder_state AS state FROM todos WHERE id = ?', [todo.id]);
    expect(Number(state)).toBe(0);
    // Another replica (or this one restarted) claims it again: nothing new is published, it is recorded.
    expect(await drain(scheduler())).toBe(1);
    expect(await reminders(user)).toHaveLength(1);
    expect(await drain(scheduler())).toBe(0);
    expect(await pushJobs()).toBe(jobsBefore + 1);
  });

  it('never fires a reminder that was moved, snoozed, completed or deleted before its time; the new time fires once', async () => {
    const user = newUser();
    const at = new Date(Date.now() + 60_000);
    const moved = await create(user, at);
    const snoozed = await create(user, at);
    const completed = await create(user, at);
    const deleted = await create(user, at);
    const kept = await create(user, at);
    const movedTo = new Date(at.getTime() + 3_600_000);
    await call('updateTodo', { userId: user, id: moved.id, clientId: '', timeZone: '', remindAt: { value: movedTo.toISOString() } }, user);
    const afterSnooze = await call('snoozeTodo', { userId: user, id: snoozed.id, minutes: 120, clientId: '' }, user);
    await call('updateTodo', { userId: user, id: completed.id, clientId: '', timeZone: '', completed: true }, user);
    await call('deleteTodo', { userId: user, id: deleted.id, clientId: '' }, user);
    schedulerNow = new Date(at.getTime() + 1_000);
    expect(await drain(scheduler())).toBe(1);
    expect((await reminders(user)).map((e) => (e as { todoId: string }).todoId)).toEqual([kept.id]);
    // The moved and the snoozed one fire at their new times, once each.
    schedulerNow = new Date(Math.max(movedTo.getTime(), new Date(afterSnooze.remindAt as string).getTime()) + 1_000);
    expect(await Promise.all([drain(scheduler()), drain(scheduler())]).then(([a, b]) => a + b)).toBe(2);
    expect((await reminders(user)).map((e) => (e as { todoId: string }).todoId).sort()).toEqual([kept.id, moved.id, snoozed.id].sort());
    // Reopening the completed todo does not bring its cancelled reminder back.
    await call('updateTodo', { userId: user, id: completed.id, clientId: '', timeZone: '', completed: false }, user);
    expect(await drain(scheduler())).toBe(0);
  });

  it('fires a snoozed reminder again after it fired, and a recurring todo’s next reminder after completion', async () => {
    const user = newUser();
    const at = new Date(Date.now() + 60_000);
    const due = new Date(at.getTime() + 15 * 60_000);
    const daily = await create(user, at, { dueDate: due.toISOString(), recurrence: 'FREQ=DAILY', timeZone: 'UTC' });
    schedulerNow = new Date(at.getTime() + 100);
    expect(await drain(scheduler())).toBe(1);
    const next = await call('updateTodo', { userId: user, id: daily.id, clientId: '', timeZone: '', completed: true }, user);
    expect(next.remindAt).toBe(new Date(at.getTime() + 24 * 3_600_000).toISOString());
    schedulerNow = new Date(at.getTime() + 24 * 3_600_000 + 100);
    expect(await drain(scheduler())).toBe(1);
    expect(await reminders(user)).toHaveLength(2);
  });
});
