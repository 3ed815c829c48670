import { readFileSync } from 'node:fs';

import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ReminderPushPayload } from '@micronote/contracts';
import { PROTO_FILES, userV1 } from '@micronote/proto';
import { PushQueue, verifyActionToken } from '@micronote/push';
import type { ServiceSpec } from '@micronote/server-core';
import { callUnary, ERROR_CODE_METADATA, serviceIdentityFromEnv, startService } from '@micronote/server-core';
import type { TestPushSubscription } from '@micronote/server-testing';
import { deleteRedisKeys, dropDatabase, grpcTestClient, startPushReceiver, testIdentity, testServiceEnv } from '@micronote/server-testing';
import type { INestApplication } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { createConnection } from 'mysql2/promise';
import { register } from 'prom-client';
import { generateVAPIDKeys } from 'web-push';

/**
 * Web Push end to end inside user-service: subscriptions through gRPC (as the gateway calls them)
 * on a fresh MariaDB database, reminder pushes enqueued with the producer todos-service uses, sent
 * by the worker to a local push receiver that checks VAPID and decrypts them.
 */
describe('user-service Web Push (gRPC, BullMQ, real MariaDB + Redis)', () => {
  let env: Record<string, string>;
  let app: INestApplication;
  let receiver: Awaited<ReturnType<typeof startPushReceiver>>;
  let queue: PushQueue;
  let client: ReturnType<typeof grpcTestClient<userV1.UserServiceClient>>;
  const vapid = generateVAPIDKeys();
  const call = <K extends keyof userV1.UserServiceClient & string>(
    method: K,
    request: Parameters<userV1.UserServiceClient[K]>[0],
    caller: 'gateway' | 'auth-service' = 'gateway',
    asUser: string | undefined = (request as { userId?: string }).userId,
  ) =>
    callUnary(client.service, method as never, request as never, {
      deadlineMs: 5_000,
      identity: testIdentity('user-service', asUser, caller as 'gateway'),
    }) as Promise<never>;

  async function rejection(promise: Promise<unknown>): Promise<{ code: number; domainCode: unknown }> {
    const error = await promise.then(
      () => {
        throw new Error('expected a gRPC error');
      },
      (e: { code: number; metadata: { get(k: string): unknown[] } }) => e,
    );
    return { code: error.code, domainCode: error.metadata.get(ERROR_CODE_METADATA)[0] };
  }

  async function rows(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    const db = await createConnection({ uri: `${env['MYSQL_URL']}/${env['DB_NAME']}` });
    try {
      return (await db.query(sql, params))[0] as Record<string, unknown>[];
    } finally {
      await db.end();
    }
  }

  const createUser = (username: string) =>
    call(
      'createUser',
      { name: username, email: `${username}@example.com`, username, password: 'long enough secret' },
      'auth-service',
      undefined,
    ) as Promise<userV1.User>;
  const subscribe = (userId: string, subscription: TestPushSubscription) =>
    call('savePushSubscription', { userId, endpoint: subscription.endpoint, ...subscription.keys });
  const payload = (todoId: string): ReminderPushPayload => ({
    type: 'REMINDER',
    todoId,
    text: `Todo ${todoId}`,
    remindAt: '2026-12-04T21:00:00.000Z',
    dueDate: null,
    late: false,
  });
  const pushCount = async (result: string) =>
    (await register.getSingleMetricAsString('micronote_push_deliveries_total')).split('\n').find((l) => l.includes(`result="${result}"`));

  beforeAll(async () => {
    receiver = await startPushReceiver();
    env = {
      ...(await testServiceEnv('micronote_push')),
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@micronote.test',
      PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true',
    };
    Object.assign(process.env, env);
    const { migrate } = await import('../src/database');
    const { AppModule } = await import('../src/app.module');
    const { PUSH_TLS_OPTIONS } = await import('../src/push/push.worker');
    await migrate();

    /** The worker trusts the receiver's self-signed certificate (a process would get NODE_EXTRA_CA_CERTS). */
    @Global()
    @Module({
      providers: [{ provide: PUSH_TLS_OPTIONS, useValue: { ca: readFileSync(receiver.tls.certFile) } }],
      exports: [PUSH_TLS_OPTIONS],
    })
    class ReceiverTrust {}
    @Module({ imports: [ReceiverTrust, AppModule] })
    class TestModule {}

    const spec: ServiceSpec = {
      name: 'user-service',
      module: TestModule,
      packageName: userV1.MICRONOTE_USER_V1_PACKAGE_NAME,
      protoFile: PROTO_FILES.user,
      serviceName: `${userV1.MICRONOTE_USER_V1_PACKAGE_NAME}.${userV1.USER_SERVICE_NAME}`,
    };
    app = await startService(spec);
    client = grpcTestClient<userV1.UserServiceClient>({
      packageName: spec.packageName,
      protoFile: spec.protoFile,
      url: `127.0.0.1:${env['GRPC_PORT']}`,
      serviceName: userV1.USER_SERVICE_NAME,
    });
    queue = new PushQueue({ get: (key: string) => env[key] } as unknown as ConfigService<never, true>);
  });

  afterAll(async () => {
    client?.close();
    await queue?.onApplicationShutdown();
    await app?.close();
    await receiver?.close();
    await dropDatabase(env['DB_NAME'] as string);
    await deleteRedisKeys(env['REDIS_KEY_PREFIX'] as string);
  });

  describe('subscriptions', () => {
    it('refuses an endpoint that is not https, and keys that are not a browser’s', async () => {
      const user = await createUser('sub_refused');
      const good = receiver.subscribe();
      expect(
        await rejection(call('savePushSubscription', { userId: user.id, endpoint: 'http://push.example.com/x', ...good.keys })),
      ).toEqual({
        code: GrpcStatus.INVALID_ARGUMENT,
        domainCode: 'PUSH_ENDPOINT_REFUSED',
      });
      expect(
        await rejection(call('savePushSubscription', { userId: user.id, endpoint: good.endpoint, p256dh: 'AAAA', auth: good.keys.auth })),
      ).toEqual({
        code: GrpcStatus.INVALID_ARGUMENT,
        domainCode: 'VALIDATION_FAILED',
      });
      // Only the gateway, for the signed-in user.
      expect(
        (await rejection(call('savePushSubscription', { userId: user.id, endpoint: good.endpoint, ...good.keys }, 'gateway', '999'))).code,
      ).toBe(GrpcStatus.UNAUTHENTICATED);
    });

    it('keeps PUSH_LIMITS.perUser (20) per user, dropping the oldest; saving one again replaces it', async () => {
      const user = await createUser('sub_limit');
      const subscriptions = Array.from({ length: 21 }, () => receiver.subscribe());
      for (const subscription of subscriptions) await subscribe(user.id, subscription);
      const kept = await rows('SELECT endpoint FROM push_subscriptions WHERE user_id = ? ORDER BY id', [user.id]);
      expect(kept.map((r) => r['endpoint'])).toEqual(subscriptions.slice(1).map((s) => s.endpoint));
      await subscribe(user.id, subscriptions[5] as TestPushSubscription);
      expect(await rows('SELECT COUNT(*) AS n FROM push_subscriptions WHERE user_id = ?', [user.id])).toEqual([{ n: 20 }]);
    });

    it('moves an endpoint to the user who subscribed it last, deletes it, and deletes all with the account', async () => {
      const [a, b] = [await createUser('sub_a'), await createUser('sub_b')];
      const shared = receiver.subscribe();
      await subscribe(a.id, shared);
      await subscribe(b.id, shared);
      expect(await rows('SELECT user_id FROM push_subscriptions WHERE endpoint = ?', [shared.endpoint])).toEqual([
        { user_id: Number(b.id) },
      ]);
      await call('deletePushSubscription', { userId: a.id, endpoint: shared.endpoint });
      expect(await rows('SELECT user_id FROM push_subscriptions WHERE endpoint = ?', [shared.endpoint])).toHaveLength(1);
      await call('deletePushSubscription', { userId: b.id, endpoint: shared.endpoint });
      expect(await rows('SELECT user_id FROM push_subscriptions WHERE endpoint = ?', [shared.endpoint])).toHaveLength(0);

      await subscribe(a.id, receiver.subscribe());
      await call('deleteUser', { userId: a.id, password: 'long enough secret', clientIp: '' }, 'auth-service');
      expect(await rows('SELECT id FROM push_subscriptions WHERE user_id = ?', [a.id])).toHaveLength(0);
    });
  });

  describe('the worker', () => {
    it('sends a reminder to every subscription once, encrypted, with VAPID, TTL, urgency and topic; the same job id again is a no-op', async () => {
      const user = await createUser('push_once');
      const [phone, laptop] = [receiver.subscribe(), receiver.subscribe()];
      await subscribe(user.id, phone);
      await subscribe(user.id, laptop);
      await queue.enqueueReminderPush(user.id, payload('41'), 'reminder:41:1');
      await queue.enqueueReminderPush(user.id, payload('41'), 'reminder:41:1');
      const [push] = await receiver.waitFor(1, { subscriptionId: phone.id });
      await receiver.waitFor(1, { subscriptionId: laptop.id });
      expect(push?.headers).toMatchObject({ ttl: '86400', urgency: 'high', topic: 'todo-41', 'content-encoding': 'aes128gcm' });
      expect(push?.vapid).toMatchObject({ aud: receiver.origin, sub: 'mailto:ops@micronote.test', publicKey: vapid.publicKey });
      const body = JSON.parse(push?.text ?? '{}') as ReminderPushPayload;
      expect(body).toMatchObject(payload('41'));
      // The token the gateway checks: for this user, todo and reminder.
      const gateway = serviceIdentityFromEnv('gateway', { NODE_ENV: 'test', SERVICE_IDENTITY_TTL: 60 });
      expect(verifyActionToken(gateway, body.actionToken ?? '')).toMatchObject({ sub: user.id, todoId: '41', reminder: 'reminder.41.1' });
      expect(verifyActionToken(gateway, `${body.actionToken ?? ''}x`)).toBeNull();
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.received.filter((p) => p.subscriptionId === phone.id || p.subscriptionId === laptop.id)).toHaveLength(2);
      const [row] = await rows('SELECT last_success_at FROM push_subscriptions WHERE endpoint = ?', [phone.endpoint]);
      expect(row?.['last_success_at']).toBeInstanceOf(Date);
    });

    it('drops a subscription the push service answers 410 for', async () => {
      const user = await createUser('push_gone');
      const [gone, alive] = [receiver.subscribe(410), receiver.subscribe()];
      await subscribe(user.id, gone);
      await subscribe(user.id, alive);
      await queue.enqueueReminderPush(user.id, payload('42'), 'reminder:42:1');
      await receiver.waitFor(1, { subscriptionId: gone.id });
      await receiver.waitFor(1, { subscriptionId: alive.id });
      for (let i = 0; i < 50 && (await rows('SELECT id FROM push_subscriptions WHERE endpoint = ?', [gone.endpoint])).length > 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await rows('SELECT id FROM push_subscriptions WHERE endpoint = ?', [gone.endpoint])).toHaveLength(0);
      expect(await rows('SELECT id FROM push_subscriptions WHERE endpoint = ?', [alive.endpoint])).toHaveLength(1);
      expect(await pushCount('dropped')).toMatch(/ [1-9]\d*$/);
    });

    it('retries a failed delivery with backoff, without sending again to the subscriptions that had it', async () => {
      const user = await createUser('push_retry');
      const [good, flaky] = [receiver.subscribe(), receiver.subscribe(500)];
      await subscribe(user.id, good);
      await subscribe(user.id, flaky);
      await queue.enqueueReminderPush(user.id, payload('43'), 'reminder:43:1');
      await receiver.waitFor(1, { subscriptionId: flaky.id });
      flaky.status = 201;
      const flakyPushes = await receiver.waitFor(2, { subscriptionId: flaky.id, ms: 15_000 });
      expect(flakyPushes.map((p) => p.status)).toEqual([500, 201]);
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.received.filter((p) => p.subscriptionId === good.id)).toHaveLength(1);
      expect(await pushCount('failed')).toMatch(/ [1-9]\d*$/);
    }, 30_000);
  });
});
