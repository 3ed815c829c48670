import { notesV1, PROTO_FILES } from '@micronote/proto';
import { callUnary, ERROR_CODE_METADATA, ERROR_DETAILS_METADATA, startService } from '@micronote/server-core';
import { dropDatabase, grpcTestClient, testIdentity, testServiceEnv } from '@micronote/server-testing';

type NotesClient = notesV1.NotesServiceClient;

/**
 * notes-service on a fresh MariaDB database (plus `extraEnv`), with a real gRPC client and `call`,
 * which sends each request with the identity its real caller has (user-service for the purge,
 * the gateway for the request's user). `close()` stops it and drops the database.
 */
export async function startNotesTestService(extraEnv: Record<string, string> = {}, deadlineMs = 10_000) {
  const env = { ...(await testServiceEnv('micronote_notes')), ...extraEnv };
  Object.assign(process.env, env);
  // Config is validated when the module is imported: import after the env is set.
  const { migrate } = await import('../../src/database');
  const { AppModule } = await import('../../src/app.module');
  await migrate();
  const app = await startService({
    name: 'notes-service',
    module: AppModule,
    packageName: notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME,
    protoFile: PROTO_FILES.notes,
    serviceName: `${notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME}.${notesV1.NOTES_SERVICE_NAME}`,
  });
  const client = grpcTestClient<NotesClient>({
    packageName: notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME,
    protoFile: PROTO_FILES.notes,
    url: `127.0.0.1:${env['GRPC_PORT']}`,
    serviceName: notesV1.NOTES_SERVICE_NAME,
  });
  const call = <K extends keyof NotesClient & string>(method: K, request: Parameters<NotesClient[K]>[0]) =>
    callUnary(client.service, method as never, request as never, {
      deadlineMs,
      identity:
        method === 'deleteUserNotes'
          ? testIdentity('notes-service', undefined, 'user-service')
          : method === 'getSharedNote'
            ? testIdentity('notes-service', undefined, 'gateway')
            : testIdentity('notes-service', (request as { userId: string }).userId),
    }) as Promise<any>;
  const close = async () => {
    client.close();
    await app.close();
    await dropDatabase(env['DB_NAME']);
    for (const key of Object.keys(extraEnv)) delete process.env[key];
  };
  return { env, app, client, call, close };
}

/** The gRPC status, domain code, message and details of a call that must fail. */
export async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error('expected a gRPC error');
    },
    (e: { code: number; details: string; metadata: { get(k: string): unknown[] } }) => e,
  );
  const details = error.metadata?.get(ERROR_DETAILS_METADATA)[0];
  return {
    code: error.code,
    domainCode: error.metadata?.get(ERROR_CODE_METADATA)[0],
    message: error.details,
    details: details ? JSON.parse(String(details)) : undefined,
  };
}
