import type { ChangeEvent } from '@micronote/contracts';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';

import { GATEWAY_URL } from './api';
import { startApp } from './processes';

/** A connected tab: every `event` it receives, in order. */
export interface Tab {
  socket: Socket;
  events: ChangeEvent[];
  resyncs: number;
  notices: { reason: string }[];
  /** Resolves once `count` events have arrived (rejects after `ms`). */
  waitFor(count: number, ms?: number): Promise<ChangeEvent[]>;
  close(): void;
}

export function connect(token: string, options: { url?: string; lastEventId?: string } = {}): Promise<Tab> {
  const socket = io(options.url ?? GATEWAY_URL, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { token, ...(options.lastEventId ? { lastEventId: options.lastEventId } : {}) },
  });
  const tab: Tab = {
    socket,
    events: [],
    resyncs: 0,
    notices: [],
    waitFor: (count, ms = 5_000) =>
      new Promise((resolvePromise, reject) => {
        const started = Date.now();
        const check = () => {
          if (tab.events.length >= count) return resolvePromise(tab.events.slice(0, count));
          if (Date.now() - started > ms) return reject(new Error(`got ${tab.events.length} of ${count} events`));
          setTimeout(check, 10);
        };
        check();
      }),
    close: () => socket.close(),
  };
  socket.on('event', (event: ChangeEvent) => tab.events.push(event));
  socket.on('resync', () => tab.resyncs++);
  socket.on('unauthorized', (notice: { reason: string }) => tab.notices.push(notice));
  return new Promise((resolvePromise, reject) => {
    socket.once('connect', () => resolvePromise(tab));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

export { sleep } from './processes';

/** Polls `check` every 20 ms until it holds (rejects after `ms`). */
export async function waitUntil(check: () => boolean, ms = 5_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A second gateway process on the same services and Redis as GATEWAY_URL's (the environment
 * the global setup gives the e2e run), to show that two instances behave as one. `env` overrides its
 * environment (e.g. low AUTH_RATE_LIMIT / API_RATE_LIMIT).
 */
export async function startSecondGateway(env: Record<string, string> = {}): Promise<{ url: string; stop(): Promise<void> }> {
  const gateway = await startApp('gateway', env);
  return { url: gateway.url, stop: async () => void (await gateway.stop()) };
}
