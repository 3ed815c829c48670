import type { ChangeEvent, RealtimeHandshake } from './realtime';
import type { IoFactory, SocketLike } from './realtime-client';
import { createRealtimeClient } from './realtime-client';

/** A scripted stand-in for a socket.io-client socket. */
function fakeIo() {
  const listeners: Record<string, ((...args: unknown[]) => void)[]> = {};
  let auth: (cb: (a: RealtimeHandshake) => void) => void = () => undefined;
  const handshakes: RealtimeHandshake[] = [];
  const socket = {
    connected: false,
    on: (event: string, listener: (...args: unknown[]) => void) => ((listeners[event] ??= []).push(listener), socket),
    connect: jest.fn(() => auth((a) => handshakes.push(a))),
    disconnect: jest.fn(),
  };
  const emit = (event: string, ...args: unknown[]) => listeners[event]?.forEach((l) => l(...args));
  const io: IoFactory = (_url, options) => {
    auth = options.auth;
    return socket as unknown as SocketLike;
  };
  return { io, socket, emit, handshakes };
}

const event = (id: string): ChangeEvent => ({ id, type: 'NOTE_CREATED', userId: '1', at: '2026-01-01T00:00:00.000Z', noteId: '5' });
const flush = () => new Promise((r) => setImmediate(r));

describe(createRealtimeClient.name, () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('resumes after the newest event it received, on every reconnect', async () => {
    const { io, emit, handshakes } = fakeIo();
    const onEvent = jest.fn();
    createRealtimeClient({ url: 'http://x', io, getToken: () => 't1', refreshToken: jest.fn(), onEvent, onResync: jest.fn() });
    await flush();
    expect(handshakes).toEqual([{ token: 't1' }]);
    emit('connect');
    emit('event', event('10-0'));
    emit('event', event('11-0'));
    expect(onEvent).toHaveBeenCalledTimes(2);

    emit('disconnect', 'transport close');
    await jest.runOnlyPendingTimersAsync();
    await flush();
    expect(handshakes[1]).toEqual({ token: 't1', lastEventId: '11-0' });
  });

  it('refreshes the token after an unauthorized disconnect, then reconnects', async () => {
    const { io, emit, handshakes } = fakeIo();
    let token = 'old';
    const refreshToken = jest.fn(async () => {
      token = 'new';
    });
    createRealtimeClient({ url: 'http://x', io, getToken: () => token, refreshToken, onEvent: jest.fn(), onResync: jest.fn() });
    emit('connect');
    emit('unauthorized', { reason: 'token_expired' });
    emit('disconnect', 'io server disconnect');
    await jest.runOnlyPendingTimersAsync();
    await flush();
    expect(refreshToken).toHaveBeenCalledTimes(1);
    expect(handshakes.at(-1)).toEqual({ token: 'new' });
  });

  it('backs off while the handshake keeps failing, and gives up when the refresh fails', async () => {
    const { io, emit, socket } = fakeIo();
    const onSignedOut = jest.fn();
    const statuses: string[] = [];
    createRealtimeClient({
      url: 'http://x',
      io,
      getToken: () => 't',
      refreshToken: async () => {
        throw new Error('refresh token spent');
      },
      onEvent: jest.fn(),
      onResync: jest.fn(),
      onSignedOut,
      onStatus: (s) => statuses.push(s),
      backoff: { minMs: 100, maxMs: 1_000 },
    });
    emit('connect_error', new Error('unavailable'));
    await jest.advanceTimersByTimeAsync(100);
    expect(socket.connect).toHaveBeenCalledTimes(2);
    emit('connect_error', new Error('unauthorized'));
    await jest.advanceTimersByTimeAsync(200);
    expect(onSignedOut).toHaveBeenCalled();
    expect(socket.connect).toHaveBeenCalledTimes(2);
    expect(statuses.at(-1)).toBe('offline');
  });

  it('passes resync on and stops for good on close', async () => {
    const { io, emit, socket } = fakeIo();
    const onResync = jest.fn();
    const client = createRealtimeClient({
      url: 'http://x',
      io,
      getToken: () => 't',
      refreshToken: jest.fn(),
      onEvent: jest.fn(),
      onResync,
    });
    emit('resync');
    expect(onResync).toHaveBeenCalled();
    client.close();
    emit('disconnect', 'io client disconnect');
    await jest.runOnlyPendingTimersAsync();
    expect(socket.connect).toHaveBeenCalledTimes(1);
  });
});
