import type { ChangeEvent, IoFactory, RealtimeClient, RealtimeStatus } from '@micronote/contracts';
import { createRealtimeClient } from '@micronote/contracts';
import { io } from 'socket.io-client';

import { env } from '../config/env';
import { api } from './api-client';
import { createStore, useStore } from './store';
import { tokens } from './tokens';

/** The state of the realtime connection, for the indicator in the header. */
export const realtimeStatus = createStore<RealtimeStatus>('offline');
export const useRealtimeStatus = (): RealtimeStatus => useStore(realtimeStatus);

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
  return createRealtimeClient({
    url: env.realtimeUrl,
    io: io as unknown as IoFactory,
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
}
