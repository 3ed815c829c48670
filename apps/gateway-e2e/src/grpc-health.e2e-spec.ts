import { dirname, join } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';

import type { AppProcess } from './support/processes';
import { startApp } from './support/processes';

/** The gRPC services of the running system (src/support/global-setup.mjs passes their addresses). */
const SERVICES = [
  { name: 'auth-service', url: process.env['GRPC_AUTH_URL'] ?? '127.0.0.1:50001', service: 'micronote.auth.v1.AuthService' },
  { name: 'notes-service', url: process.env['GRPC_NOTES_URL'] ?? '127.0.0.1:50002', service: 'micronote.notes.v1.NotesService' },
  { name: 'todos-service', url: process.env['GRPC_TODOS_URL'] ?? '127.0.0.1:50003', service: 'micronote.todos.v1.TodosService' },
  { name: 'user-service', url: process.env['GRPC_USER_URL'] ?? '127.0.0.1:50004', service: 'micronote.user.v1.UserService' },
];

const HealthClient = grpc.makeGenericClientConstructor(healthService, 'Health');

function check(url: string, serviceName: string): Promise<string> {
  const client = new HealthClient(url, grpc.credentials.createInsecure()) as unknown as grpc.Client & {
    check: (req: { service: string }, options: grpc.CallOptions, cb: (e: Error | null, r: { status: string }) => void) => void;
  };
  return new Promise((resolve, reject) => {
    client.check({ service: serviceName }, { deadline: Date.now() + 3_000 }, (error, response) => {
      client.close();
      if (error) reject(error);
      else resolve(response.status);
    });
  });
}

function listServices(url: string): Promise<string[]> {
  const reflectionProto = join(
    dirname(require.resolve('@grpc/reflection/package.json')),
    'build/proto/grpc/reflection/v1/reflection.proto',
  );
  const definition = protoLoader.loadSync(reflectionProto, { keepCase: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: new (url: string, creds: grpc.ChannelCredentials) => grpc.Client } } };
  };
  const client = new loaded.grpc.reflection.v1.ServerReflection(url, grpc.credentials.createInsecure()) as grpc.Client & {
    ServerReflectionInfo: () => grpc.ClientDuplexStream<object, { list_services_response?: { service: { name: string }[] } }>;
  };
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo();
    call.on('data', (message) => {
      resolve(message.list_services_response?.service.map((s: { name: string }) => s.name) ?? []);
      call.end();
      client.close();
    });
    call.on('error', reject);
    call.write({ list_services: '*' });
  });
}

describe.each(SERVICES)('$name gRPC', ({ url, service }) => {
  it('answers grpc.health.v1 Check with SERVING, for the server and for its service', async () => {
    await expect(check(url, '')).resolves.toBe('SERVING');
    await expect(check(url, service)).resolves.toBe('SERVING');
  });

  it('does not serve server reflection outside development (GRPC_REFLECTION unset, NODE_ENV=test)', async () => {
    await expect(listServices(url)).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
  });
});

describe('gRPC server reflection with GRPC_REFLECTION=true', () => {
  let notes: AppProcess;
  beforeAll(async () => {
    notes = await startApp('notes-service', { GRPC_REFLECTION: 'true' });
  }, 30_000);
  afterAll(async () => {
    await notes.stop();
  });

  it('lists the services', async () => {
    await expect(listServices(`127.0.0.1:${notes.env['GRPC_PORT']}`)).resolves.toEqual(
      expect.arrayContaining(['micronote.notes.v1.NotesService', 'grpc.health.v1.Health']),
    );
  });
});
