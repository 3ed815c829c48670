import { PROTO_FILES, todosV1 } from '@micronote/proto';
import { startService } from '@micronote/server-core';
import { deleteRedisKeys, dropDatabase, grpcTestClient, testServiceEnv } from '@micronote/server-testing';

/**
 * todos-service on a fresh MariaDB database and Redis key prefix (plus `extraEnv`), migrated, with
 * a real gRPC client. `close()` stops both, drops the database, deletes the keys and unsets `extraEnv`.
 */
export async function startTodosTestService(extraEnv: Record<string, string> = {}) {
  const env = { ...(await testServiceEnv('micronote_todos')), ...extraEnv };
  Object.assign(process.env, env);
  // Config is validated when the module is imported: import after the env is set.
  const { migrate } = await import('../../src/database');
  const { AppModule } = await import('../../src/app.module');
  await migrate();
  const app = await startService({
    name: 'todos-service',
    module: AppModule,
    packageName: todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME,
    protoFile: PROTO_FILES.todos,
    serviceName: `${todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME}.${todosV1.TODOS_SERVICE_NAME}`,
  });
  const client = grpcTestClient<todosV1.TodosServiceClient>({
    packageName: todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME,
    protoFile: PROTO_FILES.todos,
    url: `127.0.0.1:${env['GRPC_PORT']}`,
    serviceName: todosV1.TODOS_SERVICE_NAME,
  });
  const close = async () => {
    client.close();
    await app.close();
    await dropDatabase(env['DB_NAME']);
    await deleteRedisKeys(env['REDIS_KEY_PREFIX']);
    for (const key of Object.keys(extraEnv)) delete process.env[key];
  };
  return { env, app, client, close };
}
