import type { ChangeEvent, RealtimeHandshake, UnauthorizedNotice } from './realtime';

/** The part of a socket.io-client socket this helper uses (pass socket.io-client's `io`). */
export interface SocketLike {
  connected: boolean;
  on(event: 'connect', listener: () => void): unknown;
  on(event: 'disconnect', listener: (reason: string) => void): unknown;
  on(event: 'connect_error', listener: (error: Error) => void): unknown;
  on(event: 'event', listener: (event: ChangeEvent) => void): unknown;
  on(event: 'resync', listener: () => void): unknown;
  on(event: 'unauthorized', listener: (notice: UnauthorizedNotice) => void): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

export type IoFactory = (
  url: string,
  options: { transports: string[]; reconnection: boolean; autoConnect: boolean; auth: (cb: (auth: RealtimeHandshake) => void) => void },
) => SocketLike;

export type RealtimeStatus = 'connecting' | 'connected' | 'offline';

export interface RealtimeClientOptions {
  /** The gateway's origin, e.g. `http://localhost:8080` (socket.io lives at /socket.io). */
  url: string;
  io: IoFactory;
  /** The current access token. */
  getToken: () => string | Promise<string>;
  /** Gets a fresh access token (the next `getToken` returns it); throws when the user must sign in again. */
  refreshToken: () => Promise<void>;
  onEvent: (event: ChangeEvent) => void;
  /** Some missed events are no longer kept: refetch everything. */
  onResync: () => void;
  onStatus?: (status: RealtimeStatus) => void;
  /** The refresh failed: the session is over. */
  onSignedOut?: () => void;
  /** Resume after this event (e.g. kept from an earlier page). */
  lastEventId?: string;
  /** Reconnect delays: doubling from `minMs` to `maxMs`, with jitter. */
  backoff?: { minMs: number; maxMs: number };
}

export interface RealtimeClient {
  /** The id of the newest event received (sent as `lastEventId` on every reconnect). */
  lastEventId(): string | undefined;
  close(): void;
}

/**
 * A MicroNote realtime connection that stays up: it catches up after every reconnect (the
 * server replays what was missed after `lastEventId`, or asks for a resync), reconnects with
 * backoff, and refreshes the access token when the server says it expired.
 */
export function createRealtimeClient(options: RealtimeClientOptions): RealtimeClient {
  const { minMs, maxMs } = options.backoff ?? { minMs: 500, maxMs: 15_000 };
  let lastEventId = options.lastEventId;
  let attempt = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let needsRefresh = false;

  const status = (value: RealtimeStatus) => options.onStatus?.(value);

  const socket = options.io(options.url, {
    transports: ['websocket'],
    reconnection: false,
    autoConnect: false,
    auth: (cb) => {
      Promise.resolve(options.getToken()).then(
        (token) => cb({ token, ...(lastEventId ? { lastEventId } : {}) }),
        () => cb({ token: '' }),
      );
    },
  });

  const reconnect = () => {
    if (closed || timer) return;
    const delay = Math.min(maxMs, minMs * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt++;
    status('connecting');
    timer = setTimeout(async () => {
      timer = undefined;
      if (closed) return;
      if (needsRefresh) {
        try {
          await options.refreshToken();
          needsRefresh = false;
        } catch {
          closed = true;
          status('offline');
          options.onSignedOut?.();
          return;
        }
      }
      socket.connect();
    }, delay);
  };

  socket.on('connect', () => {
    attempt = 0;
    status('connected');
  });
  socket.on('event', (event) => {
    lastEventId = event.id;
    options.onEvent(event);
  });
  socket.on('resync', () => options.onResync());
  socket.on('unauthorized', () => {
    needsRefresh = true;
  });
  socket.on('connect_error', (error) => {
    if (error.message === 'unauthorized') needsRefresh = true;
    status('offline');
    reconnect();
  });
  socket.on('disconnect', (reason) => {
    status('offline');
    if (reason !== 'io client disconnect') reconnect();
  });

  status('connecting');
  socket.connect();
  return {
    lastEventId: () => lastEventId,
    close: () => {
      closed = true;
      clearTimeout(timer);
      socket.disconnect();
      status('offline');
    },
  };
}
