import { Workbox } from 'workbox-window';

import { SERVICE_WORKER_URL } from '../../features/notifications/lib/web-push';
import { createStore, useStore } from '../../lib/store';

/** A newer build's worker is installed and waiting: `activate` switches to it and reloads the tab. */
export interface PendingUpdate {
  activate(): void;
}

const pendingUpdate = createStore<PendingUpdate | null>(null);
export const usePendingUpdate = (): PendingUpdate | null => useStore(pendingUpdate);
export const dismissUpdate = (): void => pendingUpdate.set(null);

/** The part of workbox-window's Workbox used here (a fake in tests). */
export interface WorkboxLike {
  addEventListener(type: 'waiting' | 'controlling', listener: (event: { isUpdate?: boolean; isExternal?: boolean }) => void): void;
  messageSkipWaiting(): void;
  register(): Promise<unknown>;
}

export interface RegisterOptions {
  /** navigator.serviceWorker is there (not in old browsers, not on plain http other than localhost). */
  supported?: boolean;
  createWorkbox?: (url: string) => WorkboxLike;
  reload?: () => void;
}

/**
 * Registers the worker at start-up. When a new build's worker waits (this tab runs the old one),
 * the user is asked (UpdatePrompt); on "Reload" the worker takes over and every tab on the old
 * build reloads once it controls them. Nothing reloads without the user's word, so no edit in
 * flight is cut. Failures (no worker on `nx serve web`, private mode) leave the app as it is.
 */
export function registerServiceWorker(options: RegisterOptions = {}): void {
  const supported = options.supported ?? (typeof navigator !== 'undefined' && 'serviceWorker' in navigator);
  if (!supported) return;
  const workbox = (options.createWorkbox ?? ((url) => new Workbox(url, { scope: '/' })))(SERVICE_WORKER_URL);
  const reload = options.reload ?? (() => window.location.reload());
  workbox.addEventListener('waiting', () => {
    pendingUpdate.set({
      activate: () => {
        workbox.addEventListener('controlling', () => reload());
        workbox.messageSkipWaiting();
      },
    });
  });
  // Another tab accepted the update: this one runs the old build under the new worker, so it reloads too.
  workbox.addEventListener('controlling', (event) => {
    if (event.isUpdate && event.isExternal) reload();
  });
  workbox.register().catch(() => undefined);
}
