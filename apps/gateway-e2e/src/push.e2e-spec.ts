// Web Push for reminders, through the whole system: a browser subscribes through REST with the
// endpoint of a local push service (libs/server/testing push-receiver.ts; the test system trusts its
// certificate and sets PUSH_ALLOW_PRIVATE_ENDPOINTS), a reminder push is enqueued as todos-service's
// scheduler does, user-service's worker sends it, the receiver decrypts it, and the notification's
// buttons act on the todo through /api/push/actions with the push's action token.
import type { PushKeyResponse, ReminderPushPayload, Todo } from '@micronote/contracts';
import { PushQueue } from '@micronote/push';
import { startPushReceiver } from '@micronote/server-testing';
import type { ConfigService } from '@nestjs/config';
import { createConnection } from 'mysql2/promise';

import { api, expectError, register } from './support/api';
import { sleep } from './support/realtime';

type User = Awaited<ReturnType<typeof register>>;
type Receiver = Awaited<ReturnType<typeof startPushReceiver>>;

const as = (user: User) => ({ token: user.accessToken });

describe('Web Push reminders', () => {
  let receiver: Receiver;
  let queue: PushQueue;
  let ada: User;

  /** What todos-service's scheduler does when a reminder fires (until it lands, the test does it). */
  const remind = (user: User, todo: Todo, seq = 1, late = false) => {
    const payload: ReminderPushPayload = {
      type: 'REMINDER',
      todoId: todo.id,
      text: todo.text,
      remindAt: new Date().toISOString(),
      dueDate: todo.dueDate,
      late,
    };
    return queue.enqueueReminderPush(user.user.id, payload, `reminder:${todo.id}:${seq}`);
  };
  const subscriptionsOf = async (user: User): Promise<string[]> => {
    const db = await createConnection(`${process.env['MYSQL_URL']}/micronote_users${process.env['DB_SUFFIX'] ?? ''}`);
    try {
      const [rows] = await db.query('SELECT endpoint FROM push_subscriptions WHERE user_id = ? ORDER BY id', [user.user.id]);
      return (rows as { endpoint: string }[]).map((row) => row.endpoint);
    } finally {
      await db.end();
    }
  };
  const subscribe = (user: User, subscription: { endpoint: string; keys: unknown }) =>
    api('POST', '/api/push/subscriptions', { ...as(user), body: { endpoint: subscription.endpoint, keys: subscription.keys } });
  const createTodo = async (user: User, text: string) =>
    (await api<Todo>('POST', '/api/todos', { ...as(user), body: { text, dueDate: '2030-05-01T09:00:00Z' } })).body;

  beforeAll(async () => {
    const certFile = process.env['PUSH_RECEIVER_TLS_CERT'];
    const keyFile = process.env['PUSH_RECEIVER_TLS_KEY'];
    if (!certFile || !keyFile)
      throw new Error('PUSH_RECEIVER_TLS_CERT/KEY unset: the test system made no push receiver certificate (openssl?)');
    receiver = await startPushReceiver({ certFile, keyFile });
    const env: Record<string, string | undefined> = {
      REDIS_URL: process.env['REDIS_URL'],
      REDIS_KEY_PREFIX: process.env['REDIS_KEY_PREFIX'],
    };
    queue = new PushQueue({ get: (key: string) => env[key] } as unknown as ConfigService<never, true>);
    ada = await register();
  });

  afterAll(async () => {
    await queue?.onApplicationShutdown();
    await receiver?.close();
  });

  it('hands out the VAPID key, refuses endpoints the server must not POST to, and needs a session', async () => {
    const key = await api<PushKeyResponse>('GET', '/api/push/key', as(ada));
    expect(key.status).toBe(200);
    expect(Buffer.from(key.body.publicKey, 'base64url')).toHaveLength(65);
    const { keys } = receiver.subscribe();
    expect(expectError(await subscribe(ada, { endpoint: 'http://push.example.com/x', keys }), 400).code).toBe('PUSH_ENDPOINT_REFUSED');
    expect((await api('POST', '/api/push/subscriptions', { body: { endpoint: 'https://push.example.com/x', keys } })).status).toBe(401);
    expect((await api('GET', '/api/push/key')).status).toBe(401);
  });

  it('delivers a reminder to the subscribed browser, encrypted and signed, once; Done completes the todo without a session', async () => {
    const browser = receiver.subscribe();
    expect((await subscribe(ada, browser)).status).toBe(201);
    const todo = await createTodo(ada, 'Water the plants');
    await remind(ada, todo);
    await remind(ada, todo); // the same reminder again (a scheduler retry): no second push
    const [push] = await receiver.waitFor(1, { subscriptionId: browser.id, ms: 15_000 });
    const publicKey = (await api<PushKeyResponse>('GET', '/api/push/key', as(ada))).body.publicKey;
    expect(push?.vapid).toMatchObject({ aud: receiver.origin, publicKey });
    expect(push?.headers).toMatchObject({ urgency: 'high', topic: `todo-${todo.id}` });
    const payload = JSON.parse(push?.text ?? '{}') as ReminderPushPayload;
    expect(payload).toMatchObject({ type: 'REMINDER', todoId: todo.id, text: 'Water the plants', dueDate: todo.dueDate, late: false });
    expect(payload.actionToken).toEqual(expect.any(String));

    const forged = await api('POST', '/api/push/actions', { body: { token: `${payload.actionToken}x`, action: 'done' } });
    expect(expectError(forged, 401).code).toBe('PUSH_ACTION_TOKEN_INVALID');
    expect((await api('POST', '/api/push/actions', { body: { token: payload.actionToken, action: 'done' } })).status).toBe(204);
    expect((await api<Todo>('GET', `/api/todos/${todo.id}`, as(ada))).body.completed).toBe(true);

    await sleep(500);
    expect(receiver.received.filter((p) => p.subscriptionId === browser.id)).toHaveLength(1);
  });

  it('Snooze moves the reminder 10 minutes on', async () => {
    const browser = receiver.subscribe();
    expect((await subscribe(ada, browser)).status).toBe(201);
    const todo = await createTodo(ada, 'Call the bank');
    await remind(ada, todo);
    const [push] = await receiver.waitFor(1, { subscriptionId: browser.id, ms: 15_000 });
    const { actionToken } = JSON.parse(push?.text ?? '{}') as ReminderPushPayload;
    const before = Date.now();
    expect((await api('POST', '/api/push/actions', { body: { token: actionToken, action: 'snooze' } })).status).toBe(204);
    const { remindAt } = (await api<Todo>('GET', `/api/todos/${todo.id}`, as(ada))).body;
    expect(Date.parse(remindAt ?? '') - before).toBeGreaterThanOrEqual(9 * 60_000);
    expect(Date.parse(remindAt ?? '') - before).toBeLessThanOrEqual(11 * 60_000);
  });

  it('drops a subscription the push service answers 410 for, keeps the others; DELETE unsubscribes', async () => {
    const bob = await register();
    const [gone, alive] = [receiver.subscribe(410), receiver.subscribe()];
    expect((await subscribe(bob, gone)).status).toBe(201);
    expect((await subscribe(bob, alive)).status).toBe(201);
    expect(await subscriptionsOf(bob)).toEqual([gone.endpoint, alive.endpoint]);
    await remind(bob, await createTodo(bob, 'Renew passport'));
    await receiver.waitFor(1, { subscriptionId: gone.id, ms: 15_000 });
    await receiver.waitFor(1, { subscriptionId: alive.id, ms: 15_000 });
    for (let i = 0; i < 50 && (await subscriptionsOf(bob)).length > 1; i++) await sleep(100);
    expect(await subscriptionsOf(bob)).toEqual([alive.endpoint]);

    expect((await api('DELETE', '/api/push/subscriptions', { ...as(bob), body: { endpoint: alive.endpoint } })).status).toBe(204);
    expect(await subscriptionsOf(bob)).toEqual([]);
  });
});
