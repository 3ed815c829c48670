import { status as GrpcStatus } from '@grpc/grpc-js';
import { PROTO_FILES, userV1 } from '@micronote/proto';
import type { ServiceSpec } from '@micronote/server-core';
import { callUnary, ERROR_CODE_METADATA, ERROR_DETAILS_METADATA, startService } from '@micronote/server-core';
import { dropDatabase, grpcTestClient, testIdentity, testServiceEnv } from '@micronote/server-testing';
import type { INestApplication } from '@nestjs/common';
import { createConnection } from 'mysql2/promise';

/**
 * user-service as a real process would run: its own fresh MariaDB database, migrated, serving
 * gRPC on a free port; called through a real gRPC client.
 */
describe('user-service (gRPC, real MariaDB)', () => {
  let env: Record<string, string>;
  let app: INestApplication;
  let client: ReturnType<typeof grpcTestClient<userV1.UserServiceClient>>;
  /** `clientIp` may be left out (the credential lock then counts the call under `unknown`). */
  const call = <K extends keyof userV1.UserServiceClient & string>(
    method: K,
    request: Omit<Parameters<userV1.UserServiceClient[K]>[0], 'clientIp'> & { clientIp?: string },
  ) =>
    callUnary(client.service, method as never, request as never, {
      deadlineMs: 5_000,
      // As the real callers do: the gateway edits a profile, auth-service does the rest.
      identity: testIdentity('user-service', (request as { userId?: string }).userId, method === 'updateUser' ? 'gateway' : 'auth-service'),
    }) as Promise<userV1.User>;

  beforeAll(async () => {
    env = await testServiceEnv('micronote_users');
    Object.assign(process.env, env);
    // Config is validated when the module is imported: import after the env is set.
    const { migrate } = await import('../src/database');
    const { AppModule } = await import('../src/app.module');
    await migrate();
    const spec: ServiceSpec = {
      name: 'user-service',
      module: AppModule,
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
  });

  afterAll(async () => {
    client?.close();
    await app?.close();
    await dropDatabase(env['DB_NAME']);
  });

  async function rejection(
    promise: Promise<unknown>,
  ): Promise<{ code: number; details: string; domainCode: unknown; errorDetails?: unknown }> {
    const error = await promise.then(
      () => {
        throw new Error('expected a gRPC error');
      },
      (e: { code: number; details: string; metadata: { get(k: string): unknown[] } }) => e,
    );
    const raw = error.metadata.get(ERROR_DETAILS_METADATA)[0];
    return {
      code: error.code,
      details: error.details,
      domainCode: error.metadata.get(ERROR_CODE_METADATA)[0],
      ...(raw ? { errorDetails: JSON.parse(String(raw)) } : {}),
    };
  }

  const ada = { name: 'Ada Lovelace', email: 'Ada@Example.com', username: 'ada', password: 'analytical engine' };

  it('creates a user with a lower-case e-mail and an argon2id hash that never leaves the service', async () => {
    const user = await call('createUser', ada);
    expect(user).toEqual({
      id: expect.stringMatching(/^\d+$/),
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      username: 'ada',
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    const db = await createConnection({ uri: `${env['MYSQL_URL']}/${env['DB_NAME']}` });
    const [rows] = await db.query('SELECT password_hash FROM users WHERE id = ?', [user.id]);
    await db.end();
    expect((rows as { password_hash: string }[])[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('verifies credentials by username or e-mail, any e-mail case', async () => {
    expect((await call('verifyCredentials', { login: 'ada', password: ada.password })).username).toBe('ada');
    expect((await call('verifyCredentials', { login: 'ADA@example.COM', password: ada.password })).username).toBe('ada');
  });

  it('answers UNAUTHENTICATED with one message for a wrong password and an unknown login', async () => {
    const wrong = await rejection(call('verifyCredentials', { login: 'ada', password: 'nope-nope' }));
    const unknown = await rejection(call('verifyCredentials', { login: 'nobody', password: 'nope-nope' }));
    expect(wrong).toEqual({ code: GrpcStatus.UNAUTHENTICATED, details: 'Invalid login or password', domainCode: 'INVALID_CREDENTIALS' });
    expect(unknown).toEqual(wrong);
  });

  it('refuses duplicates case-insensitively with ALREADY_EXISTS', async () => {
    const sameName = await rejection(call('createUser', { ...ada, email: 'other@example.com', username: 'ADA' }));
    expect(sameName).toMatchObject({ code: GrpcStatus.ALREADY_EXISTS, domainCode: 'USERNAME_TAKEN' });
    const sameEmail = await rejection(call('createUser', { ...ada, email: 'ADA@EXAMPLE.COM', username: 'ada2' }));
    expect(sameEmail).toMatchObject({ code: GrpcStatus.ALREADY_EXISTS, domainCode: 'EMAIL_TAKEN' });
  });

  it.each([
    ['an empty name', { name: ' ' }],
    ['a bad e-mail', { email: 'nope' }],
    ['a bad username', { username: 'no spaces' }],
    ['a short password', { password: 'short' }],
  ])('refuses %s with INVALID_ARGUMENT', async (_, override) => {
    const error = await rejection(call('createUser', { ...ada, email: 'x@example.com', username: 'xuser', ...override }));
    expect(error).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, domainCode: 'VALIDATION_FAILED' });
  });

  it('updates only the given fields', async () => {
    const created = await call('createUser', { name: 'Bob', email: 'bob@example.com', username: 'bob', password: 'builder-bob' });
    const updated = await call('updateUser', { userId: created.id, name: 'Robert' });
    expect(updated).toMatchObject({ name: 'Robert', email: 'bob@example.com', username: 'bob' });
    const taken = await rejection(call('updateUser', { userId: created.id, username: 'ada' }));
    expect(taken.domainCode).toBe('USERNAME_TAKEN');
  });

  it('keeps timeZone and locale canonical, answers them on every read, and clears them with an empty NullableString', async () => {
    const dora = await call('createUser', { name: 'Dora', email: 'dora@example.com', username: 'dora', password: 'explorer-dora' });
    expect(dora.timeZone).toBeUndefined();
    expect(dora.locale).toBeUndefined();
    const set = await call('updateUser', { userId: dora.id, timeZone: { value: 'america/new_york' }, locale: { value: 'pt-br' } });
    expect(set).toMatchObject({ timeZone: 'America/New_York', locale: 'pt-BR', name: 'Dora' });
    expect(await call('getUser', { userId: dora.id })).toMatchObject({ timeZone: 'America/New_York', locale: 'pt-BR' });
    expect(await call('verifyCredentials', { login: 'dora', password: 'explorer-dora' })).toMatchObject({ timeZone: 'America/New_York' });
    // Another field alone leaves them; an empty NullableString clears only its own.
    expect(await call('updateUser', { userId: dora.id, name: 'Dora M' })).toMatchObject({ timeZone: 'America/New_York', locale: 'pt-BR' });
    const cleared = await call('updateUser', { userId: dora.id, timeZone: {} });
    expect(cleared.timeZone).toBeUndefined();
    expect(cleared.locale).toBe('pt-BR');
    const db = await createConnection({ uri: `${env['MYSQL_URL']}/${env['DB_NAME']}` });
    const [rows] = await db.query('SELECT time_zone, locale FROM users WHERE id = ?', [dora.id]);
    await db.end();
    expect(rows).toEqual([{ time_zone: null, locale: 'pt-BR' }]);
  });

  it.each([
    ['an unknown zone', { timeZone: { value: 'Mars/Olympus' } }, /^timeZone must be an IANA time zone name/],
    ['an offset for a zone', { timeZone: { value: '+02:00' } }, /^timeZone must be/],
    ['a bad locale', { locale: { value: 'en_US' } }, /^locale must be a BCP 47 language tag/],
  ])('refuses %s with INVALID_ARGUMENT and a message naming the field', async (_, fields, message) => {
    const user = await call('getUser', { userId: (await call('verifyCredentials', { login: 'ada', password: ada.password })).id });
    const error = await rejection(call('updateUser', { userId: user.id, ...fields }));
    expect(error).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      domainCode: 'VALIDATION_FAILED',
      details: expect.stringMatching(message),
    });
    expect(await call('getUser', { userId: user.id })).toEqual(user);
  });

  it('changes the password only with the current one', async () => {
    const user = await call('createUser', { name: 'Cy', email: 'cy@example.com', username: 'cyd', password: 'first-password' });
    const wrong = await rejection(
      call('changePassword', { userId: user.id, currentPassword: 'nope-nope', newPassword: 'second-password' }),
    );
    expect(wrong).toMatchObject({ code: GrpcStatus.PERMISSION_DENIED, domainCode: 'WRONG_PASSWORD' });
    await call('changePassword', { userId: user.id, currentPassword: 'first-password', newPassword: 'second-password' });
    await expect(call('verifyCredentials', { login: 'cyd', password: 'second-password' })).resolves.toMatchObject({ id: user.id });
    expect((await rejection(call('verifyCredentials', { login: 'cyd', password: 'first-password' }))).code).toBe(
      GrpcStatus.UNAUTHENTICATED,
    );
  });

  it('deletes a user with the password, freeing the username and e-mail', async () => {
    const user = await call('createUser', { name: 'Dee', email: 'dee@example.com', username: 'dee', password: 'dee-password' });
    expect((await rejection(call('deleteUser', { userId: user.id, password: 'wrong-one' }))).code).toBe(GrpcStatus.PERMISSION_DENIED);
    await call('deleteUser', { userId: user.id, password: 'dee-password' });
    expect((await rejection(call('getUser', { userId: user.id }))).code).toBe(GrpcStatus.NOT_FOUND);
    const again = await call('createUser', { name: 'Dee 2', email: 'dee@example.com', username: 'dee', password: 'dee-password' });
    expect(again.id).not.toBe(user.id);
    // The purge of the user's notes and todos is on record (their services are not running here).
    const db = await createConnection({ uri: `${env['MYSQL_URL']}/${env['DB_NAME']}` });
    const [rows] = await db.query('SELECT user_id FROM account_purges WHERE user_id = ?', [user.id]);
    await db.end();
    expect(rows).toHaveLength(1);
  });

  it('answers NOT_FOUND for a malformed or unknown id', async () => {
    expect((await rejection(call('getUser', { userId: 'abc' }))).code).toBe(GrpcStatus.NOT_FOUND);
    expect((await rejection(call('getUser', { userId: '999999999' }))).code).toBe(GrpcStatus.NOT_FOUND);
  });

  describe('credential lock (real Redis)', () => {
    const locked = { code: GrpcStatus.RESOURCE_EXHAUSTED, domainCode: 'RATE_LIMITED', errorDetails: { retryAfter: expect.any(Number) } };

    it('spelling variants of one account and its e-mail share one budget per client IP; the right password is then refused too', async () => {
      const password = 'alice-password';
      await call('createUser', { name: 'Alice', email: 'alice@example.com', username: 'alice', password });
      const variants = [' alice', 'ALICE', 'álice', 'Alice@Example.COM', 'alice ', 'ÁLİCE'];
      const ip = '10.1.1.1';
      for (let i = 0; i < 10; i++) {
        const error = await rejection(
          call('verifyCredentials', { login: variants[i % variants.length], password: 'wrong-guess', clientIp: ip }),
        );
        expect(error.code).toBe(GrpcStatus.UNAUTHENTICATED);
      }
      const eleventh = await rejection(call('verifyCredentials', { login: 'alice', password, clientIp: ip }));
      expect(eleventh).toMatchObject(locked);
      expect((eleventh.errorDetails as { retryAfter: number }).retryAfter).toBeGreaterThan(14 * 60);
      expect((eleventh.errorDetails as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(15 * 60);
      // The same IPv6 /64 is one address; the same account from elsewhere is not locked.
      await expect(call('verifyCredentials', { login: 'alice@example.com', password, clientIp: '10.1.1.2' })).resolves.toMatchObject({
        username: 'alice',
      });
    });

    it('parallel wrong guesses cannot all pass the check: at most 10 are ever tried', async () => {
      const password = 'brute-password';
      await call('createUser', { name: 'Brute', email: 'brute@example.com', username: 'brute', password });
      const ip = '2001:db8:1:2::7';
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          rejection(call('verifyCredentials', { login: i % 2 ? 'BRUTE' : 'brute@example.com', password: `guess-${i}`, clientIp: ip })),
        ),
      );
      expect(results.filter((r) => r.code === GrpcStatus.UNAUTHENTICATED)).toHaveLength(10);
      expect(results.filter((r) => r.code === GrpcStatus.RESOURCE_EXHAUSTED)).toHaveLength(20);
      // Another host of the same /64 shares the lock.
      expect(await rejection(call('verifyCredentials', { login: 'brute', password, clientIp: '2001:db8:1:2:ffff::1' }))).toMatchObject(
        locked,
      );
    });

    it('unknown logins are limited as well, under their normalised spelling', async () => {
      for (let i = 0; i < 10; i++)
        await rejection(
          call('verifyCredentials', { login: i % 2 ? 'Nobody_Here' : ' nobody_here', password: 'x-password', clientIp: '10.3.3.3' }),
        );
      expect(
        await rejection(call('verifyCredentials', { login: 'NOBODY_HERE', password: 'x-password', clientIp: '10.3.3.3' })),
      ).toMatchObject(locked);
    });

    it('wrong current passwords (password change, deletion, e-mail change) and e-mail conflicts spend the login budget', async () => {
      const password = 'carol-password';
      const carol = await call('createUser', { name: 'Carol', email: 'carol@example.com', username: 'carol', password });
      const ip = '10.4.4.4';
      const wrong = { code: GrpcStatus.PERMISSION_DENIED, domainCode: 'WRONG_PASSWORD' };
      for (let i = 0; i < 3; i++) {
        expect(
          await rejection(
            call('changePassword', { userId: carol.id, currentPassword: 'nope-nope', newPassword: 'new-password', clientIp: ip }),
          ),
        ).toMatchObject(wrong);
      }
      for (let i = 0; i < 3; i++)
        expect(await rejection(call('deleteUser', { userId: carol.id, password: 'nope-nope', clientIp: ip }))).toMatchObject(wrong);
      expect(await rejection(call('updateUser', { userId: carol.id, email: 'carol2@example.com', clientIp: ip }))).toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        domainCode: 'CURRENT_PASSWORD_REQUIRED',
      });
      expect(
        await rejection(call('updateUser', { userId: carol.id, email: 'carol2@example.com', currentPassword: 'nope', clientIp: ip })),
      ).toMatchObject(wrong);
      for (let i = 0; i < 3; i++) {
        expect(
          await rejection(call('updateUser', { userId: carol.id, email: 'ADA@example.com', currentPassword: password, clientIp: ip })),
        ).toMatchObject({
          domainCode: 'EMAIL_TAKEN',
        });
      }
      // 10 spent: every check of this account from this address is refused, the right password too.
      expect(
        await rejection(call('updateUser', { userId: carol.id, email: 'carol2@example.com', currentPassword: password, clientIp: ip })),
      ).toMatchObject(locked);
      expect(await rejection(call('deleteUser', { userId: carol.id, password, clientIp: ip }))).toMatchObject(locked);
      expect(await rejection(call('verifyCredentials', { login: 'carol', password, clientIp: ip }))).toMatchObject(locked);
      // A name change needs no password and spends nothing.
      await expect(call('updateUser', { userId: carol.id, name: 'Caroline', clientIp: ip })).resolves.toMatchObject({ name: 'Caroline' });
    });
  });

  it('re-running the migrations applies nothing', async () => {
    const { migrate } = await import('../src/database');
    await expect(migrate()).resolves.toEqual([]);
  });
});
