import { join } from 'node:path';

import type { sendUnaryData, ServerUnaryCall, ServiceError } from '@grpc/grpc-js';
import { loadPackageDefinition, Metadata, Server, ServerCredentials, status as GrpcStatus } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { notesV1, PROTO_FILES } from '@micronote/proto';
import { grpcClientOptions, resolveProtoRoot } from '@micronote/server-core';
import type { ConfigService } from '@nestjs/config';
import type { ClientGrpcProxy } from '@nestjs/microservices';
import { ClientProxyFactory } from '@nestjs/microservices';
import type { Observable } from 'rxjs';
import { of, throwError } from 'rxjs';

import type { Env } from '../../config/env.validation';
import { RETRYABLE_READS } from './call-policy';
import { CircuitBreakers } from './circuit-breakers';
import { GrpcCaller } from './grpc-caller';
import { countRetries, retriesTotal } from './grpc-retries';

const SETTINGS: Record<string, number> = {
  GRPC_DEADLINE_MS: 500,
  GRPC_RETRIES: 2,
  BREAKER_ERROR_PERCENT: 50,
  BREAKER_MIN_CALLS: 4,
  BREAKER_RESET_MS: 200,
  GRPC_BULK_DEADLINE_MS: 30_000,
};
const configWith = (overrides: Record<string, number> = {}) =>
  ({ get: (key: string) => ({ ...SETTINGS, ...overrides })[key] }) as unknown as ConfigService<Env, true>;
const config = configWith();

const grpcError = (code: GrpcStatus, details = GrpcStatus[code]) =>
  Object.assign(new Error(details), { code, details, metadata: new Metadata() });

type Answer = () => Observable<unknown>;
/** A fake notes-service client (it has `createNote`, the notes-service marker) answering from a script. */
function notesClient(answers: Answer[]) {
  let calls = 0;
  const next = () => (answers[Math.min(calls++, answers.length - 1)] ?? (() => of({})))();
  return {
    client: { createNote: jest.fn(next), getNote: jest.fn(next), listNotes: jest.fn(next), importNotes: jest.fn(next) },
    calls: () => calls,
  };
}
const ok =
  (value: unknown = { id: '1' }) =>
  () =>
    of(value);
const fail = (code: GrpcStatus) => () => throwError(() => grpcError(code));
const ctx = { requestId: 'req-1' };

describe(GrpcCaller.name, () => {
  let breakers: CircuitBreakers;
  let caller: GrpcCaller;

  beforeEach(() => {
    breakers = new CircuitBreakers(config);
    caller = new GrpcCaller(config, breakers, { mint: () => 'identity' } as never);
  });
  afterEach(() => breakers.shutdown());

  it('sends the request id and a deadline with every call', async () => {
    const { client } = notesClient([ok()]);
    await caller.call(client as never, 'getNote' as never, { id: '1' } as never, ctx);
    const [, metadata, options] = client.getNote.mock.calls[0] as unknown as [unknown, Metadata, { deadline: Date }];
    expect(metadata.get('x-request-id')).toEqual(['req-1']);
    expect(options.deadline.getTime() - Date.now()).toBeGreaterThan(400);
  });

  it('opens the breaker of a failing downstream: later calls fail at once with UNAVAILABLE', async () => {
    const dead = notesClient([fail(GrpcStatus.DEADLINE_EXCEEDED)]);
    for (let i = 0; i < SETTINGS['BREAKER_MIN_CALLS']; i++) {
      await expect(caller.call(dead.client as never, 'createNote' as never, {} as never, ctx)).rejects.toMatchObject({
        code: GrpcStatus.DEADLINE_EXCEEDED,
      });
    }
    expect(breakers.state('notes-service')).toBe('open');
    const before = dead.calls();
    const started = performance.now();
    await expect(caller.call(dead.client as never, 'createNote' as never, {} as never, ctx)).rejects.toMatchObject({
      code: GrpcStatus.UNAVAILABLE,
      details: 'notes-service is unavailable, try again shortly',
    });
    expect(performance.now() - started).toBeLessThan(50);
    expect(dead.calls()).toBe(before); // the downstream was not called
  });

  it('lets one trial call through after BREAKER_RESET_MS and closes on its success', async () => {
    const answers = [...Array(SETTINGS['BREAKER_MIN_CALLS']).fill(fail(GrpcStatus.UNAVAILABLE)), ok({ id: 'back' })];
    const service = notesClient(answers);
    for (let i = 0; i < SETTINGS['BREAKER_MIN_CALLS']; i++) {
      await caller.call(service.client as never, 'createNote' as never, {} as never, ctx).catch(() => undefined);
    }
    expect(breakers.state('notes-service')).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, SETTINGS['BREAKER_RESET_MS'] + 50));
    expect(breakers.state('notes-service')).toBe('half-open');
    await expect(caller.call(service.client as never, 'createNote' as never, {} as never, ctx)).resolves.toEqual({ id: 'back' });
    expect(breakers.state('notes-service')).toBe('closed');
  });

  it('does not count answers (NOT_FOUND, ABORTED, INVALID_ARGUMENT) as failures', async () => {
    const answering = notesClient([fail(GrpcStatus.NOT_FOUND), fail(GrpcStatus.ABORTED), fail(GrpcStatus.INVALID_ARGUMENT)]);
    for (let i = 0; i < 10; i++) {
      await caller.call(answering.client as never, 'getNote' as never, {} as never, ctx).catch(() => undefined);
    }
    expect(breakers.state('notes-service')).toBe('closed');
  });

  it("gives whole-account calls (import) GRPC_BULK_DEADLINE_MS, not GRPC_DEADLINE_MS", async () => {
    const { client } = notesClient([ok()]);
    await caller.call(client as never, 'importNotes' as never, {} as never, ctx);
    const [, , options] = client.importNotes.mock.calls[0] as unknown as [unknown, Metadata, { deadline: Date }];
    expect(options.deadline.getTime() - Date.now()).toBeGreaterThan(SETTINGS['GRPC_BULK_DEADLINE_MS'] - 1_000);
  });

  it("does not let one user's imports that run out of time open the breaker for everyone", async () => {
    const service = notesClient([fail(GrpcStatus.DEADLINE_EXCEEDED)]);
    for (let i = 0; i < SETTINGS['BREAKER_MIN_CALLS'] * 3; i++) {
      await expect(caller.call(service.client as never, 'importNotes' as never, {} as never, ctx)).rejects.toMatchObject({
        code: GrpcStatus.DEADLINE_EXCEEDED,
      });
    }
    expect(breakers.state('notes-service')).toBe('closed');
    service.client.getNote.mockImplementation(ok({ id: 'other-user' }));
    await expect(caller.call(service.client as never, 'getNote' as never, {} as never, ctx)).resolves.toEqual({ id: 'other-user' });
  });

  it('refuses a whole-account call at once while the downstream breaker is open', async () => {
    const dead = notesClient([fail(GrpcStatus.UNAVAILABLE)]);
    for (let i = 0; i < SETTINGS['BREAKER_MIN_CALLS']; i++) {
      await caller.call(dead.client as never, 'createNote' as never, {} as never, ctx).catch(() => undefined);
    }
    expect(breakers.state('notes-service')).toBe('open');
    await expect(caller.call(dead.client as never, 'importNotes' as never, {} as never, ctx)).rejects.toMatchObject({
      code: GrpcStatus.UNAVAILABLE,
    });
    expect(dead.client.importNotes).not.toHaveBeenCalled();
  });

  it('keeps one breaker per downstream', async () => {
    const notes = notesClient([fail(GrpcStatus.UNAVAILABLE)]);
    const todos = { createTodo: jest.fn(ok()), getTodo: jest.fn(ok()) };
    for (let i = 0; i < SETTINGS['BREAKER_MIN_CALLS']; i++) {
      await caller.call(notes.client as never, 'createNote' as never, {} as never, ctx).catch(() => undefined);
    }
    expect(breakers.state('notes-service')).toBe('open');
    await expect(caller.call(todos as never, 'getTodo' as never, {} as never, ctx)).resolves.toEqual({ id: '1' });
    expect(breakers.state('todos-service')).toBe('closed');
  });
});

/**
 * Retries are grpc-js's (the channel's service-config retry policy), so they are tested against a
 * real grpc-js server and the client options the gateway builds, through the GrpcCaller.
 */
describe('retries of RETRYABLE_READS (grpc-js retry policy, real server)', () => {
  let server: Server;
  let proxy: ClientGrpcProxy;
  let notes: notesV1.NotesServiceClient;
  let breakers: CircuitBreakers;
  let caller: GrpcCaller;
  const attempts: Record<string, number> = {};
  const previousAttempts: string[] = [];
  const unavailable = (details: string): Partial<ServiceError> => ({ code: GrpcStatus.UNAVAILABLE, details });

  /** A handler that records its attempts and answers `answer(attempt)`. */
  const handler =
    (name: string, answer: (attempt: number) => [Partial<ServiceError> | null, object?]) =>
    (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      attempts[name] = (attempts[name] ?? 0) + 1;
      previousAttempts.push(`${name}:${String(call.metadata.get('grpc-previous-rpc-attempts')[0] ?? 0)}`);
      const [error, value] = answer(attempts[name]);
      callback(error, value);
    };

  beforeAll(async () => {
    const protoRoot = resolveProtoRoot();
    const definition = loadSync(join(protoRoot, PROTO_FILES.notes), { keepCase: false, longs: Number, enums: String, defaults: true, includeDirs: [protoRoot] });
    const pkg = loadPackageDefinition(definition) as unknown as { micronote: { notes: { v1: { NotesService: { service: never } } } } };
    server = new Server();
    server.addService(pkg.micronote.notes.v1.NotesService.service, {
      // Fails once (the process behind the address is gone), then answers.
      getNote: handler('getNote', (attempt) => (attempt === 1 ? [unavailable('restarting')] : [null, { id: 'n1', title: 'back' }])),
      // Always down.
      listNotes: handler('listNotes', () => [unavailable('down')]),
      // A write: never sent twice by the gateway.
      createNote: handler('createNote', () => [unavailable('down')]),
      // An answer, not an outage.
      getNoteStats: handler('getNoteStats', () => [{ code: GrpcStatus.NOT_FOUND, details: 'no such user' }]),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const service = `${notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME}.${notesV1.NOTES_SERVICE_NAME}`;
    proxy = ClientProxyFactory.create(
      grpcClientOptions({
        packageName: notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME,
        protoFile: PROTO_FILES.notes,
        url: `127.0.0.1:${port}`,
        retry: { service, methods: RETRYABLE_READS['notes-service'], maxRetries: SETTINGS['GRPC_RETRIES'] },
        interceptors: [countRetries('notes-service')],
      }),
    ) as unknown as ClientGrpcProxy;
    notes = proxy.getService<notesV1.NotesServiceClient>(notesV1.NOTES_SERVICE_NAME);
    // A breaker that stays closed here, so every call reaches the channel.
    breakers = new CircuitBreakers(configWith({ BREAKER_MIN_CALLS: 100 }));
    caller = new GrpcCaller(config, breakers, { mint: () => 'identity' } as never);
  });

  afterAll(async () => {
    breakers.shutdown();
    proxy.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  const retried = async (method: string) =>
    (await retriesTotal().get()).values.find((v) => v.labels['grpc_service'] === 'notes-service' && v.labels['grpc_method'] === method)
      ?.value ?? 0;

  it('sends a read again after UNAVAILABLE and answers with the second attempt, counted on /metrics', async () => {
    await expect(caller.call(notes, 'getNote', { id: 'n1', userId: 'u1' } as never, ctx)).resolves.toMatchObject({ id: 'n1', title: 'back' });
    expect(attempts['getNote']).toBe(2);
    expect(previousAttempts.filter((a) => a.startsWith('getNote'))).toEqual(['getNote:0', 'getNote:1']);
    expect(await retried('getNote')).toBe(1);
  });

  it('gives up after GRPC_RETRIES more attempts, with UNAVAILABLE', async () => {
    await expect(caller.call(notes, 'listNotes', { userId: 'u1' } as never, ctx)).rejects.toMatchObject({ code: GrpcStatus.UNAVAILABLE });
    expect(attempts['listNotes']).toBe(1 + SETTINGS['GRPC_RETRIES']);
    expect(await retried('listNotes')).toBe(SETTINGS['GRPC_RETRIES']);
  });

  it('never sends a write twice, nor a read that got an answer such as NOT_FOUND', async () => {
    await expect(caller.call(notes, 'createNote', { userId: 'u1', title: 't' } as never, ctx)).rejects.toMatchObject({
      code: GrpcStatus.UNAVAILABLE,
    });
    expect(attempts['createNote']).toBe(1);
    await expect(caller.call(notes, 'getNoteStats', { userId: 'u1' } as never, ctx)).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    expect(attempts['getNoteStats']).toBe(1);
  });
});
