import { status as GrpcStatus } from '@grpc/grpc-js';
import { PROTO_FILES, userV1 } from '@micronote/proto';
import type { ServiceSpec } from '@micronote/server-core';
import { callUnary, ERROR_CODE_METADATA, startService } from '@micronote/server-core';
import { dropDatabase, grpcTestClient, testIdentity, testServiceEnv } from '@micronote/server-testing';
import type { INestApplication } from '@nestjs/common';

/**
 * The people directory (FindUser, GetUsers) through a real gRPC client, as the gateway calls it:
 * for the signed-in user, on user-service's own fresh MariaDB database.
 */
describe('user-service people directory (gRPC, real MariaDB)', () => {
  let env: Record<string, string>;
  let app: INestApplication;
  let client: ReturnType<typeof grpcTestClient<userV1.UserServiceClient>>;
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

  async function codeOf(promise: Promise<unknown>): Promise<{ code: number; domainCode: unknown }> {
    const error = await promise.then(
      () => {
        throw new Error('expected a gRPC error');
      },
      (e: { code: number; metadata: { get(k: string): unknown[] } }) => e,
    );
    return { code: error.code, domainCode: error.metadata.get(ERROR_CODE_METADATA)[0] };
  }

  let ada: userV1.User;
  let bob: userV1.User;

  beforeAll(async () => {
    env = await testServiceEnv('micronote_people');
    Object.assign(process.env, env);
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
    const create = (name: string, username: string) =>
      call('createUser', { name, email: `${username}@Example.com`, username, password: 'long enough secret' }, 'auth-service', undefined) as Promise<userV1.User>;
    ada = await create('Ada Lovelace', 'Ada_L');
    bob = await create('Bob', 'bob');
  });

  afterAll(async () => {
    client?.close();
    await app?.close();
    await dropDatabase(env['DB_NAME']);
  });

  describe('FindUser', () => {
    it.each([['Ada_L'], ['ada_l'], ['ADA_L@example.COM'], ['  ada_l@example.com ']])('finds %p, without the e-mail', async (login) => {
      await expect(call('findUser', { login, userId: bob.id })).resolves.toEqual({ id: ada.id, username: 'Ada_L', name: 'Ada Lovelace' });
    });

    it.each([['nobody'], [''], ['ada'], ['ada_l@example'], ['x'.repeat(300)]])('answers NOT_FOUND USER_NOT_FOUND for %p', async (login) => {
      await expect(codeOf(call('findUser', { login, userId: bob.id }))).resolves.toEqual({ code: GrpcStatus.NOT_FOUND, domainCode: 'USER_NOT_FOUND' });
    });

    it('is for the gateway acting for a signed-in user only', async () => {
      expect((await codeOf(call('findUser', { login: 'bob', userId: ada.id }, 'auth-service'))).code).toBe(GrpcStatus.PERMISSION_DENIED);
      expect((await codeOf(call('findUser', { login: 'bob', userId: ada.id }, 'gateway', bob.id))).code).toBe(GrpcStatus.UNAUTHENTICATED);
    });
  });

  describe('GetUsers', () => {
    it('answers the known ids once each and leaves out unknown and malformed ones', async () => {
      const answer = (await call('getUsers', { ids: [bob.id, ada.id, bob.id, '999999', 'x', ''], userId: ada.id })) as userV1.GetUsersResponse;
      expect([...(answer.items ?? [])].sort((a, b) => a.username.localeCompare(b.username))).toEqual([
        { id: ada.id, username: 'Ada_L', name: 'Ada Lovelace' },
        { id: bob.id, username: 'bob', name: 'Bob' },
      ]);
    });

    it('answers nothing for no ids, and refuses more than 500 with INVALID_ARGUMENT', async () => {
      expect(((await call('getUsers', { ids: [], userId: ada.id })) as userV1.GetUsersResponse).items ?? []).toEqual([]);
      const many = Array.from({ length: 501 }, (_, i) => String(i + 1));
      await expect(codeOf(call('getUsers', { ids: many, userId: ada.id }))).resolves.toEqual({
        code: GrpcStatus.INVALID_ARGUMENT,
        domainCode: 'VALIDATION_FAILED',
      });
    });
  });
});
