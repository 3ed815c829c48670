import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type Redis from 'ioredis';
import { firstValueFrom, Observable, of, throwError } from 'rxjs';

import {
  IDEMPOTENCY_MAX_BODY_BYTES,
  IDEMPOTENCY_MAX_KEYS_PER_USER,
  IDEMPOTENCY_PENDING_TTL_S,
  IDEMPOTENCY_TTL_S,
  IdempotencyInterceptor,
  Idempotent,
} from './idempotency.interceptor';

/** The commands the interceptor uses, over a Map (TTL recorded, not enforced); the claim script as the test idempotency.integration-spec runs it for real. */
class FakeRedis {
  readonly data = new Map<string, string>();
  readonly ttl = new Map<string, number>();
  readonly index = new Map<string, string[]>();
  down = false;

  async idempotencyClaim(record: string, index: string, pending: string, pendingTtl: number, _ttl: number, max: number): Promise<string | null> {
    if (this.down) throw new Error('Connection is closed.');
    if (this.data.has(record)) return this.data.get(record) ?? null;
    this.data.set(record, pending);
    this.ttl.set(record, pendingTtl);
    const keys = [...(this.index.get(index) ?? []).filter((k) => k !== record), record];
    while (keys.length > max) this.data.delete(keys.shift() as string);
    this.index.set(index, keys);
    return 'OK';
  }

  async set(key: string, value: string, _ex: 'EX', seconds: number, nx?: 'NX'): Promise<'OK' | null> {
    if (this.down) throw new Error('Connection is closed.');
    if (nx && this.data.has(key)) return null;
    this.data.set(key, value);
    this.ttl.set(key, seconds);
    return 'OK';
  }
  async get(key: string): Promise<string | null> {
    if (this.down) throw new Error('Connection is closed.');
    return this.data.get(key) ?? null;
  }
  async del(key: string): Promise<number> {
    if (this.down) throw new Error('Connection is closed.');
    return this.data.delete(key) ? 1 : 0;
  }
}

interface FakeReply {
  statusCode: number;
  headers: Record<string, string>;
  status(code: number): FakeReply;
  header(name: string, value: string): FakeReply;
}

function reply(statusCode = 201): FakeReply {
  return {
    statusCode,
    headers: {},
    status(code) {
      this.statusCode = code;
      return this;
    },
    header(name, value) {
      this.headers[name] = value;
      return this;
    },
  };
}

class Routes {
  @Idempotent({ resourcePath: '/api/notes' })
  createNote(): void {
    // a route whose answers are read at /api/notes/<id>
  }

  @Idempotent()
  other(): void {
    // a route without a resource path
  }
}

function context(request: Record<string, unknown>, response: FakeReply, handler: () => void = Routes.prototype.createNote): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => handler,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
}

const post = (key: string | undefined, body: unknown = { title: 'a' }, url = '/api/notes', userId = 'u1') => ({
  method: 'POST',
  url,
  body,
  headers: key === undefined ? {} : { 'idempotency-key': key },
  user: userId ? { userId } : undefined,
});

describe('IdempotencyInterceptor', () => {
  let redis: FakeRedis;
  let interceptor: IdempotencyInterceptor;
  let calls: number;
  const handler = (result: unknown = { id: String(calls + 1) }): CallHandler => ({
    handle: () => {
      calls += 1;
      return of(result);
    },
  });
  const run = (request: Record<string, unknown>, response = reply(), next = handler()) =>
    firstValueFrom(interceptor.intercept(context(request, response), next));

  beforeEach(() => {
    redis = new FakeRedis();
    interceptor = new IdempotencyInterceptor(redis as unknown as Redis);
    calls = 0;
  });

  it('runs once and replays the stored status and body with Idempotent-Replayed', async () => {
    const first = await run(post('k1'));
    expect(first).toEqual({ id: '1' });
    expect(redis.ttl.get('idem:u1:k1')).toBe(IDEMPOTENCY_TTL_S);
    const second = reply(201);
    second.statusCode = 999;
    expect(await run(post('k1'), second)).toEqual({ id: '1' });
    expect(calls).toBe(1);
    expect(second.statusCode).toBe(201);
    expect(second.headers).toEqual({ 'Idempotent-Replayed': 'true' });
  });

  it('keeps keys per user', async () => {
    await run(post('k1'));
    expect(await run(post('k1', { title: 'a' }, '/api/notes', 'u2'))).toEqual({ id: '2' });
    expect(calls).toBe(2);
  });

  it('refuses the same key for another request', async () => {
    await run(post('k1'));
    await expect(run(post('k1', { title: 'b' }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    await expect(run(post('k1', { title: 'a' }, '/api/todos'))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(calls).toBe(1);
  });

  it('answers 409 IN_PROGRESS while the first request runs', async () => {
    const never: CallHandler = { handle: () => new Observable(() => undefined) };
    void firstValueFrom(interceptor.intercept(context(post('k1'), reply()), never)).catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse(redis.data.get('idem:u1:k1') ?? '{}')).toMatchObject({ state: 'pending' });
    expect(redis.ttl.get('idem:u1:k1')).toBe(IDEMPOTENCY_PENDING_TTL_S);
    await expect(run(post('k1'))).rejects.toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });
  });

  it('releases the key when the request fails, so a retry runs', async () => {
    const failing: CallHandler = {
      handle: () => {
        calls += 1;
        return throwError(() => new Error('boom'));
      },
    };
    await expect(run(post('k1'), reply(), failing)).rejects.toThrow('boom');
    expect(redis.data.has('idem:u1:k1')).toBe(false);
    expect(await run(post('k1'))).toEqual({ id: '2' });
  });

  it('does not store a non-2xx answer', async () => {
    await run(post('k1'), reply(302));
    expect(redis.data.has('idem:u1:k1')).toBe(false);
  });

  it('rejects a malformed key with 400', async () => {
    for (const key of ['', 'a'.repeat(129), 'has space', 'é']) {
      expect(() => interceptor.intercept(context(post(key), reply()), handler())).toThrow(
        expect.objectContaining({ code: 'IDEMPOTENCY_KEY_INVALID' }),
      );
    }
    expect(() => interceptor.intercept(context(post('a'.repeat(128)), reply()), handler())).not.toThrow();
  });

  it('answers 503 when a key is given and Redis is down', async () => {
    redis.down = true;
    await expect(run(post('k1'))).rejects.toMatchObject({ code: 'IDEMPOTENCY_UNAVAILABLE' });
    expect(calls).toBe(0);
  });

  it('keeps a large answer as its location only, and replays it as 303 See Other to the resource', async () => {
    const big = { id: '42', text: 'x'.repeat(IDEMPOTENCY_MAX_BODY_BYTES) };
    expect(await run(post('k1'), reply(201), handler(big))).toEqual(big);
    const stored = redis.data.get('idem:u1:k1') ?? '';
    expect(stored.length).toBeLessThan(1_024);
    expect(JSON.parse(stored)).toMatchObject({ state: 'done', status: 201, location: '/api/notes/42' });
    const second = reply(201);
    expect(await run(post('k1'), second)).toBeUndefined();
    expect(second.statusCode).toBe(303);
    expect(second.headers).toEqual({ location: '/api/notes/42', 'Idempotent-Replayed': 'true' });
    expect(calls).toBe(1);
  });

  it('keeps only the status of a large answer of a route without a resource path', async () => {
    const big = { text: 'x'.repeat(IDEMPOTENCY_MAX_BODY_BYTES) };
    const first = reply(200);
    await firstValueFrom(interceptor.intercept(context(post('k1'), first, Routes.prototype.other), handler(big)));
    expect((redis.data.get('idem:u1:k1') ?? '').length).toBeLessThan(1_024);
    const second = reply(200);
    expect(await firstValueFrom(interceptor.intercept(context(post('k1'), second, Routes.prototype.other), handler()))).toBeUndefined();
    expect(second.statusCode).toBe(200);
    expect(calls).toBe(1);
  });

  it("keeps at most IDEMPOTENCY_MAX_KEYS_PER_USER keys per user, dropping the oldest, and never another user's", async () => {
    await run(post('other-user-key', { title: 'a' }, '/api/notes', 'u2'));
    for (let i = 0; i <= IDEMPOTENCY_MAX_KEYS_PER_USER; i++) await run(post(`k${i}`, { title: `n${i}` }));
    const mine = [...redis.data.keys()].filter((k) => k.startsWith('idem:u1:'));
    expect(mine).toHaveLength(IDEMPOTENCY_MAX_KEYS_PER_USER);
    expect(redis.data.has('idem:u1:k0')).toBe(false);
    expect(redis.data.has(`idem:u1:k${IDEMPOTENCY_MAX_KEYS_PER_USER}`)).toBe(true);
    expect(redis.data.has('idem:u2:other-user-key')).toBe(true);
  });

  it('passes through without a key, without a user, on /api/auth and other methods', async () => {
    redis.down = true;
    expect(await run(post(undefined))).toEqual({ id: '1' });
    expect(await run(post('k1', {}, '/api/notes', ''))).toEqual({ id: '2' });
    expect(await run(post('k1', {}, '/api/auth/login'))).toEqual({ id: '3' });
    expect(await run({ ...post('k1'), method: 'PATCH' })).toEqual({ id: '4' });
    expect(calls).toBe(4);
  });
});
