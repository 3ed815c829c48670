import { todosV1, userV1 } from '@micronote/proto';
import { signActionToken } from '@micronote/push';
import { serviceIdentityFromEnv } from '@micronote/server-core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { of } from 'rxjs';

import { createHttpTestApp, grpcStub } from '../testing/http-test-app';
import { PushHttpController } from './push.http.controller';

const keys = { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) };

/** The HTTP surface: auth, validation, the SSRF rule and the action token; user-service and todos-service are stubs. */
describe(PushHttpController.name, () => {
  let app: NestFastifyApplication;
  let token: string;
  const users = { savePushSubscription: jest.fn(() => of({})), deletePushSubscription: jest.fn(() => of({})) };
  const todos = { updateTodo: jest.fn(() => of({ id: '42' })), snoozeTodo: jest.fn(() => of({ id: '42' })) };
  const userService = serviceIdentityFromEnv('user-service', { NODE_ENV: 'test', SERVICE_IDENTITY_TTL: 60 });

  beforeAll(async () => {
    let sign: (userId: string) => Promise<string>;
    ({ app, token: sign } = await createHttpTestApp(
      [PushHttpController],
      [grpcStub(userV1.MICRONOTE_USER_V1_PACKAGE_NAME, users), grpcStub(todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME, todos)],
    ));
    token = await sign('7');
  });

  afterAll(() => app.close());
  beforeEach(() => jest.clearAllMocks());

  const send = (method: string, url: string, payload?: unknown, auth = true) =>
    app.inject({ method: method as 'GET', url, payload: payload as object, headers: auth ? { authorization: `Bearer ${token}` } : {} });

  it.each([
    ['GET', '/api/push/key'],
    ['POST', '/api/push/subscriptions'],
    ['DELETE', '/api/push/subscriptions'],
  ])('%s %s needs a session (401)', async (method, url) => {
    expect((await send(method, url, { endpoint: 'https://push.example.com/x', keys }, false)).statusCode).toBe(401);
  });

  it('hands out the VAPID public key', async () => {
    const response = await send('GET', '/api/push/key');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ publicKey: expect.stringMatching(/^B[A-Za-z0-9_-]{86}$/) });
  });

  it('saves a subscription for the signed-in user (201), ignoring expirationTime', async () => {
    const endpoint = 'https://fcm.googleapis.com/fcm/send/abc:def';
    const response = await send('POST', '/api/push/subscriptions', { endpoint, expirationTime: null, keys });
    expect(response.statusCode).toBe(201);
    expect(users.savePushSubscription).toHaveBeenCalledWith({ userId: '7', endpoint, ...keys }, expect.anything(), expect.anything());
  });

  it.each([
    ['http://push.example.com/x', 'https'],
    ['https://127.0.0.1:8443/push', 'public host'],
    ['https://10.1.2.3/push', 'public host'],
    ['https://192.168.0.9/push', 'public host'],
    ['https://169.254.169.254/latest', 'public host'],
    ['https://[::1]/push', 'public host'],
    ['https://[fe80::1]/push', 'public host'],
    ['https://[::ffff:127.0.0.1]/push', 'public host'],
    ['https://localhost/push', 'public host'],
    ['https://metadata/computeMetadata', 'public host'],
    ['https://user:pw@push.example.com/x', 'credentials'],
    ['not a url', 'absolute URL'],
  ])('refuses the endpoint %s with 400 PUSH_ENDPOINT_REFUSED (%s)', async (endpoint, message) => {
    const response = await send('POST', '/api/push/subscriptions', { endpoint, keys });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'PUSH_ENDPOINT_REFUSED', message: expect.stringContaining(message) });
    expect(users.savePushSubscription).not.toHaveBeenCalled();
  });

  it.each([
    [{ endpoint: 'https://push.example.com/x' }],
    [{ endpoint: 'https://push.example.com/x', keys: { p256dh: 'not base64!', auth: keys.auth } }],
    [{ endpoint: 'https://push.example.com/x', keys, extra: 1 }],
  ])('answers 400 VALIDATION_FAILED for %j', async (body) => {
    const response = await send('POST', '/api/push/subscriptions', body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('deletes a subscription (204)', async () => {
    const response = await send('DELETE', '/api/push/subscriptions', { endpoint: 'https://push.example.com/x' });
    expect(response.statusCode).toBe(204);
    expect(users.deletePushSubscription).toHaveBeenCalledWith(
      { userId: '7', endpoint: 'https://push.example.com/x' },
      expect.anything(),
      expect.anything(),
    );
  });

  describe('POST /api/push/actions (no session: the action token)', () => {
    const actionToken = (nowMs = Date.now()) => signActionToken(userService, { sub: '9', todoId: '42', reminder: 'reminder.42.1' }, nowMs);

    it('completes the todo for the token’s user on done', async () => {
      const response = await send('POST', '/api/push/actions', { token: actionToken(), action: 'done' }, false);
      expect(response.statusCode).toBe(204);
      expect(todos.updateTodo).toHaveBeenCalledWith(
        expect.objectContaining({ userId: '9', id: '42', completed: true }),
        expect.anything(),
        expect.anything(),
      );
    });

    it('snoozes it 10 minutes on snooze', async () => {
      const response = await send('POST', '/api/push/actions', { token: actionToken(), action: 'snooze' }, false);
      expect(response.statusCode).toBe(204);
      expect(todos.snoozeTodo).toHaveBeenCalledWith(
        expect.objectContaining({ userId: '9', id: '42', minutes: 10 }),
        expect.anything(),
        expect.anything(),
      );
    });

    it.each([
      ['a forged token', () => `${actionToken().slice(0, -4)}AAAA`],
      ['an expired token', () => actionToken(Date.now() - 25 * 3600 * 1000)],
      [
        'a token signed by another process',
        () =>
          serviceIdentityFromEnv('gateway', { NODE_ENV: 'test', SERVICE_IDENTITY_TTL: 60 }).signStatement('micronote-push-action', {
            sub: '9',
            todoId: '42',
            reminder: 'r',
            iat: 1,
            exp: 9e9,
          }),
      ],
      ['a service identity', () => userService.mint('todos-service', '9')],
      ['garbage', () => 'x.y.z'],
    ])('answers 401 PUSH_ACTION_TOKEN_INVALID for %s', async (_, make) => {
      const response = await send('POST', '/api/push/actions', { token: make(), action: 'done' }, false);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'PUSH_ACTION_TOKEN_INVALID' });
      expect(todos.updateTodo).not.toHaveBeenCalled();
    });

    it('answers 400 for an unknown action', async () => {
      const response = await send('POST', '/api/push/actions', { token: actionToken(), action: 'delete' }, false);
      expect(response.statusCode).toBe(400);
    });
  });
});
