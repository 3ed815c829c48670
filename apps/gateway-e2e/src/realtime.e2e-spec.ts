import { createHmac } from 'node:crypto';

import type { ChangeEvent } from '@micronote/contracts';
import { eventKeys } from '@micronote/events';
import Redis from 'ioredis';

import { api, login, register } from './support/api';
import type { Tab } from './support/realtime';
import { connect, sleep, startSecondGateway } from './support/realtime';

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

/** A token of the same session that expires in `seconds` (the test system runs with the dev JWT secret). */
function shortLivedToken(token: string, seconds: number): string {
  const secret = process.env['JWT_SECRET'] ?? 'micronote-dev-only-secret-change-me-0123456789';
  const now = Math.floor(Date.now() / 1000);
  const payload = { ...claims(token), iat: now, exp: now + seconds };
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}

describe('realtime', () => {
  const tabs: Tab[] = [];
  const open = async (...args: Parameters<typeof connect>) => {
    const tab = await connect(...args);
    tabs.push(tab);
    return tab;
  };
  afterEach(() => tabs.splice(0).forEach((tab) => tab.close()));

  it('refuses a handshake without a valid token', async () => {
    await expect(connect('')).rejects.toThrow('unauthorized');
    await expect(connect('not.a.token')).rejects.toThrow('unauthorized');
    const { refreshToken } = await register();
    await expect(connect(refreshToken)).rejects.toThrow('unauthorized');
  });

  it("sends each change to every tab of the user once, with the writer's clientId, and to nobody else", async () => {
    const alice = await register();
    const bob = await register();
    const [a1, a2, b1] = [await open(alice.accessToken), await open(alice.accessToken), await open(bob.accessToken)];
    const created = await api('POST', '/api/notes', {
      token: alice.accessToken,
      body: { title: 'Live', text: 'hi' },
      headers: { 'x-client-id': 'tab-1' },
    });
    const [e1] = await a1.waitFor(1);
    const [e2] = await a2.waitFor(1);
    expect(e1).toEqual({
      id: expect.stringMatching(/^\d+-\d+$/),
      type: 'NOTE_CREATED',
      userId: alice.user.id,
      at: expect.any(String),
      noteId: created.body.id,
      note: created.body,
      clientId: 'tab-1',
    });
    expect(e2).toEqual(e1);
    await sleep(300);
    expect(a1.events).toHaveLength(1);
    expect(a2.events).toHaveLength(1);
    expect(b1.events).toHaveLength(0);
  });

  it('announces todo and profile changes with their types, ids increasing', async () => {
    const user = await register();
    const tab = await open(user.accessToken);
    const todo = await api('POST', '/api/todos', { token: user.accessToken, body: { text: 'live todo' } });
    await api('PATCH', `/api/todos/${todo.body.id}`, { token: user.accessToken, body: { completed: true } });
    await api('PATCH', `/api/todos/${todo.body.id}`, { token: user.accessToken, body: { text: 'renamed' } });
    await api('DELETE', `/api/todos/${todo.body.id}`, { token: user.accessToken });
    await api('PATCH', '/api/users/me', { token: user.accessToken, body: { name: 'New Name' } });
    const events = await tab.waitFor(5);
    expect(events.map((e) => e.type)).toEqual(['TODO_CREATED', 'TODO_COMPLETED', 'TODO_UPDATED', 'TODO_DELETED', 'USER_UPDATED']);
    expect(events[1].todo).toMatchObject({ completed: true, completedAt: expect.any(String) });
    expect(events[3]).toMatchObject({ todoId: todo.body.id });
    expect(events[4].user).toMatchObject({ name: 'New Name' });
    const ids = events.map((e) => e.id);
    expect(
      [...ids].sort(
        (a, b) => a.split('-').map(Number)[0] - b.split('-').map(Number)[0] || Number(a.split('-')[1]) - Number(b.split('-')[1]),
      ),
    ).toEqual(ids);
  });

  it('gives a client that was away every change it missed, in order, then live ones', async () => {
    const user = await register();
    const first = await open(user.accessToken);
    await api('POST', '/api/notes', { token: user.accessToken, body: { title: 'seen', text: '' } });
    const [seen] = await first.waitFor(1);
    first.close();

    const titles = Array.from({ length: 20 }, (_, i) => `missed ${i}`);
    for (const title of titles) await api('POST', '/api/notes', { token: user.accessToken, body: { title, text: '' } });

    const back = await open(user.accessToken, { lastEventId: seen.id });
    const missed = await back.waitFor(20);
    expect(missed.map((e) => e.note?.title)).toEqual(titles);
    await api('POST', '/api/notes', { token: user.accessToken, body: { title: 'live again', text: '' } });
    const all = await back.waitFor(21);
    expect(all[20].note?.title).toBe('live again');
    await sleep(200);
    expect(back.events).toHaveLength(21);
    expect(back.resyncs).toBe(0);
  });

  it('asks for a resync when the missed events are no longer kept', async () => {
    const user = await register();
    const tab = await open(user.accessToken);
    await api('POST', '/api/notes', { token: user.accessToken, body: { title: 'old', text: '' } });
    const [old] = await tab.waitFor(1);
    tab.close();
    await api('POST', '/api/notes', { token: user.accessToken, body: { title: 'newer', text: '' } });
    // Trim the user's stream as if more than the kept number of changes had happened since.
    const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { keyPrefix: process.env['REDIS_KEY_PREFIX'] ?? 'mn:' });
    await redis.xtrim(eventKeys.userStream(user.user.id), 'MAXLEN', 0);
    redis.disconnect();

    const back = await open(user.accessToken, { lastEventId: old.id });
    await sleep(300);
    expect(back.resyncs).toBe(1);
    expect(back.events).toHaveLength(0);
  });

  it('cuts the socket of a revoked session at once, and only that one', async () => {
    const user = await register();
    const other = await login(user.credentials.username, user.credentials.password);
    const revoked = await open(user.accessToken);
    const kept = await open(other.accessToken);
    const disconnected = new Promise<string>((resolve) => revoked.socket.once('disconnect', resolve));
    expect((await api('POST', '/api/auth/logout', { token: user.accessToken })).status).toBe(204);
    expect(await disconnected).toBe('io server disconnect');
    expect(revoked.notices).toEqual([{ reason: 'session_revoked' }]);
    await sleep(200);
    expect(kept.socket.connected).toBe(true);

    // A password change cuts every other session's socket.
    const third = await login(user.credentials.username, user.credentials.password);
    const thirdTab = await open(third.accessToken);
    const cut = new Promise<string>((resolve) => thirdTab.socket.once('disconnect', resolve));
    await api('POST', '/api/users/me/password', {
      token: other.accessToken,
      body: { currentPassword: user.credentials.password, newPassword: 'another-password-1' },
    });
    expect(await cut).toBe('io server disconnect');
    expect(kept.socket.connected).toBe(true);
  });

  it('disconnects with unauthorized when the access token expires', async () => {
    const user = await register();
    const tab = await open(shortLivedToken(user.accessToken, 2));
    const disconnected = new Promise<string>((resolve) => tab.socket.once('disconnect', resolve));
    expect(await disconnected).toBe('io server disconnect');
    expect(tab.notices).toEqual([{ reason: 'token_expired' }]);
  });

  describe('with two gateway processes', () => {
    let second: Awaited<ReturnType<typeof startSecondGateway>>;
    beforeAll(async () => {
      second = await startSecondGateway();
    }, 30_000);
    afterAll(() => second?.stop());

    it('delivers every event to each tab exactly once, whichever instance it is on', async () => {
      const user = await register();
      const onFirst = await open(user.accessToken);
      const onSecond = await open(user.accessToken, { url: second.url });
      const titles = ['one', 'two', 'three'];
      for (const [i, title] of titles.entries()) {
        // Writes go through both instances.
        const base = i % 2 ? second.url : undefined;
        if (base) {
          await fetch(`${base}/api/notes`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${user.accessToken}` },
            body: JSON.stringify({ title, text: '' }),
          });
        } else {
          await api('POST', '/api/notes', { token: user.accessToken, body: { title, text: '' } });
        }
      }
      const a = await onFirst.waitFor(3);
      const b = await onSecond.waitFor(3);
      await sleep(300);
      expect(onFirst.events).toHaveLength(3);
      expect(onSecond.events).toHaveLength(3);
      expect(a.map((e: ChangeEvent) => e.note?.title)).toEqual(titles);
      expect(b).toEqual(a);
    });
  });
});
