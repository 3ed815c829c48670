import type {
  ChangeEvent,
  CollabClientToServerEvents,
  IoFactory,
  RealtimeClient,
  RealtimeStatus,
  ServerToClientEvents,
} from '@micronote/contracts';
import { createRealtimeClient } from '@micronote/contracts';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';

import { env } from '../config/env';
import { api } from './api-client';
import { createStore, useStore } from './store';
import { tokens } from './tokens';

/** The state of the realtime connection, for the indicator in the header. */
export const realtimeStatus = createStore<RealtimeStatus>('offline');
export const useRealtimeStatus = (): RealtimeStatus => useStore(realtimeStatus);

/** The tab's one socket.io socket, typed with the events features may send on it (live collaboration). */
export type AppSocket = Socket<ServerToClientEvents, CollabClientToServerEvents>;

/**
 * The socket of the current realtime client (null while signed out). Features that speak their
 * own events over the same connection (collab:*) take it from here and follow it when the
 * realtime client starts over with a new socket; connecting and reconnecting stay the client's.
 */
export const realtimeSocket = createStore<AppSocket | null>(null);

export interface RealtimeHandlers {
  onEvent: (event: ChangeEvent) => void;
  /** Some missed events are no longer kept: refetch everything. */
  onResync: () => void;
  /** Every successful (re)connection. */
  onConnected?: () => void;
  /** The client stopped because the token could not be refreshed. */
  onGaveUp?: () => void;
}

/**
 * Opens the one socket of this tab through createRealtimeClient, which resumes after the last
 * event on every reconnect, backs off, and refreshes the access token (through the API client,
 * so it shares the single-flight refresh with REST calls).
 */
export function connectRealtime(handlers: RealtimeHandlers): RealtimeClient {
  let socket: AppSocket | null = null;
  // The realtime client makes its socket through this factory: keep it, for realtimeSocket.
  const ioFactory: IoFactory = (url, options) => {
    socket = io(url, options) as AppSocket;
    realtimeSocket.set(socket);
    return socket as unknown as ReturnType<IoFactory>;
  };
  const client = createRealtimeClient({
    url: env.realtimeUrl,
    io: ioFactory,
    getToken: () => tokens.access() ?? '',
    refreshToken: async () => {
      await api.refreshSession();
    },
    onEvent: handlers.onEvent,
    onResync: handlers.onResync,
    onStatus: (status) => {
      realtimeStatus.set(status);
      if (status === 'connected') handlers.onConnected?.();
    },
    onSignedOut: handlers.onGaveUp,
  });
  return {
    lastEventId: client.lastEventId,
    close: () => {
      client.close();
      if (realtimeSocket.get() === socket) realtimeSocket.set(null);
    },
  };
}
