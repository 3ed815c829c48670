import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ConfigService } from '@nestjs/config';
import type { Observable } from 'rxjs';
import { of, throwError } from 'rxjs';

import type { Env } from '../../config/env.validation';
import { retryDelayMs } from './call-policy';
import { CircuitBreakers } from './circuit-breakers';
import { GrpcCaller } from './grpc-caller';

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

  it('retries a read after UNAVAILABLE, a bounded number of times', async () => {
    // (a breaker that stays closed here: retries count as calls of the breaker too)
    breakers.shutdown();
    breakers = new CircuitBreakers(configWith({ BREAKER_MIN_CALLS: 100 }));
    caller = new GrpcCaller(config, breakers, { mint: () => 'identity' } as never);
    const flaky = notesClient([fail(GrpcStatus.UNAVAILABLE), ok({ id: 'n1' })]);
    await expect(caller.call(flaky.client as never, 'getNote' as never, {} as never, ctx)).resolves.toEqual({ id: 'n1' });
    expect(flaky.calls()).toBe(2);

    const dead = notesClient([fail(GrpcStatus.UNAVAILABLE)]);
    await expect(caller.call(dead.client as never, 'listNotes' as never, {} as never, ctx)).rejects.toMatchObject({
      code: GrpcStatus.UNAVAILABLE,
    });
    expect(dead.calls()).toBe(1 + SETTINGS['GRPC_RETRIES']);
  });

  it('never retries a write, nor a read that got an answer such as NOT_FOUND', async () => {
    const write = notesClient([fail(GrpcStatus.UNAVAILABLE), ok()]);
    await expect(caller.call(write.client as never, 'createNote' as never, {} as never, ctx)).rejects.toMatchObject({
      code: GrpcStatus.UNAVAILABLE,
    });
    expect(write.calls()).toBe(1);

    const missing = notesClient([fail(GrpcStatus.NOT_FOUND), ok()]);
    await expect(caller.call(missing.client as never, 'getNote' as never, {} as never, ctx)).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
    expect(missing.calls()).toBe(1);
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

describe(retryDelayMs.name, () => {
  it('backs off with jitter and a ceiling', () => {
    expect(retryDelayMs(1, () => 0)).toBe(13);
    expect(retryDelayMs(1, () => 1)).toBe(25);
    expect(retryDelayMs(3, () => 1)).toBe(100);
    expect(retryDelayMs(10, () => 1)).toBe(200);
  });
});
