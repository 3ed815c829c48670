import { randomBytes } from 'node:crypto';

import { createRedisClient } from '@micronote/server-core';
import { deleteRedisKeys, TEST_REDIS_URL } from '@micronote/server-testing';
import type { ExecutionContext } from '@nestjs/common';
import type Redis from 'ioredis';
import { firstValueFrom, of } from 'rxjs';

import {
  IDEMPOTENCY_MAX_BODY_BYTES,
  IDEMPOTENCY_MAX_KEYS_PER_USER,
  IDEMPOTENCY_TTL_S,
  IdempotencyInterceptor,
  Idempotent,
} from '../src/common/idempotency/idempotency.interceptor';

class Routes {
  @Idempotent({ resourcePath: '/api/notes' })
  createNote(): void {
    // answers are read at /api/notes/<id>
  }
}

/** The Idempotency-Key store against a real Redis (its claim script), under a key prefix of its own. */
describe('IdempotencyInterceptor (real Redis)', () => {
  const prefix = `mnit${randomBytes(4).toString('hex')}:`;
  let redis: Redis;
  let interceptor: IdempotencyInterceptor;
  let calls = 0;

  const run = async (userId: string, key: string, answer: unknown = { id: String(++calls) }) => {
    const response = { statusCode: 201, headers: {} as Record<string, string> };
    const reply = {
      ...response,
      status(code: number) {
        this.statusCode = code;
        return this;
      },
      header(name: string, value: string) {
        this.headers[name] = value;
        return this;
      },
    };
    const request = { method: 'POST', url: '/api/notes', body: { key }, headers: { 'idempotency-key': key }, user: { userId } };
    const context = {
      getType: () => 'http',
      getHandler: () => Routes.prototype.createNote,
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
    } as unknown as ExecutionContext;
    const body = await firstValueFrom(interceptor.intercept(context, { handle: () => of(answer) }));
    return { body, status: reply.statusCode, headers: reply.headers };
  };

  beforeAll(() => {
    redis = createRedisClient(TEST_REDIS_URL, { name: 'gateway-it', keyPrefix: prefix });
    interceptor = new IdempotencyInterceptor(redis);
  });

  afterAll(async () => {
    await redis.quit();
    await deleteRedisKeys(prefix);
  });

  it('keeps at most IDEMPOTENCY_MAX_KEYS_PER_USER live keys per user: the oldest go, the newest replay, other users keep theirs', async () => {
    const first = await run('u-other', 'kept');
    for (let i = 0; i < IDEMPOTENCY_MAX_KEYS_PER_USER + 50; i++) await run('u-flood', `k${i}`);
    let count = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}idem:u-flood:*`, 'COUNT', 1_000);
      count += keys.length;
      cursor = next;
    } while (cursor !== '0');
    expect(count).toBe(IDEMPOTENCY_MAX_KEYS_PER_USER);
    expect(await redis.zcard('idem-index:u-flood')).toBe(IDEMPOTENCY_MAX_KEYS_PER_USER);
    expect(await redis.ttl('idem-index:u-flood')).toBeGreaterThan(IDEMPOTENCY_TTL_S - 60);
    expect(await redis.exists('idem:u-flood:k0')).toBe(0);
    const newest = `k${IDEMPOTENCY_MAX_KEYS_PER_USER + 49}`;
    expect((await run('u-flood', newest, { id: 'not again' })).headers['Idempotent-Replayed']).toBe('true');
    expect(await run('u-other', 'kept', { id: 'not again' })).toMatchObject({ body: first.body, headers: { 'Idempotent-Replayed': 'true' } });
  });

  it('stores a large answer as its location only and replays it as 303 See Other', async () => {
    const big = { id: '7', text: 'x'.repeat(4 * IDEMPOTENCY_MAX_BODY_BYTES) };
    expect((await run('u-big', 'big', big)).body).toEqual(big);
    expect(await redis.strlen('idem:u-big:big')).toBeLessThan(1_024);
    expect(await run('u-big', 'big', { id: 'not again' })).toMatchObject({
      status: 303,
      body: undefined,
      headers: { location: '/api/notes/7', 'Idempotent-Replayed': 'true' },
    });
  });
});
