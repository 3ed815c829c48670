import type { QueryClient } from '@tanstack/react-query';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { errorMessage } from './api-error';
import { createStore, useStore } from './store';

/**
 * Whether this browser gets a Web Push for each reminder, as the settings show it:
 * - `unsupported`: it cannot (no service worker or Push API, not a secure context, or this build
 *   has no push support), with why;
 * - `default`: not on yet; enabling asks for permission (unless it was granted already);
 * - `subscribed`: permission granted and this browser subscribed;
 * - `denied`: the user blocked notifications for the site: only the browser's settings undo that;
 * - `error`: checking or changing it failed (`message`).
 */
export type WebPushStatus =
  | { state: 'unsupported'; reason: string }
  | { state: 'default' }
  | { state: 'subscribed' }
  | { state: 'denied' }
  | { state: 'error'; message: string };

/**
 * What the settings need from the Web Push module (service worker registration, the permission
 * prompt, `PushManager.subscribe` and `/api/push/subscriptions`). `enable` may only be called
 * from a user's gesture (it can open the browser's permission prompt); nothing here asks by itself.
 */
export interface WebPushControl {
  status(): Promise<WebPushStatus>;
  enable(): Promise<WebPushStatus>;
  disable(): Promise<WebPushStatus>;
}

/** Until the app provides the real module: says so, and never pretends to have subscribed. */
export const WEB_PUSH_NOT_AVAILABLE: WebPushControl = {
  status: async () => ({ state: 'unsupported', reason: 'Browser notifications are not available in this version of MicroNote.' }),
  enable: async () => ({ state: 'unsupported', reason: 'Browser notifications are not available in this version of MicroNote.' }),
  disable: async () => ({ state: 'unsupported', reason: 'Browser notifications are not available in this version of MicroNote.' }),
};

const control = createStore<WebPushControl>(WEB_PUSH_NOT_AVAILABLE);

/** The app layer plugs the Web Push module in here (features read it through the hooks below). */
export function provideWebPush(next: WebPushControl): void {
  control.set(next);
}

export const webPushControl = (): WebPushControl => control.get();

export const webPushKeys = { status: ['web-push', 'status'] as const };

/** Turns a thrown error into the `error` state, so every caller shows one kind of answer. */
async function settle(run: () => Promise<WebPushStatus>): Promise<WebPushStatus> {
  try {
    return await run();
  } catch (error) {
    return { state: 'error', message: errorMessage(error) };
  }
}

/** This browser's push state (checked once per page load; enabling or disabling puts the answer in). */
export function useWebPushStatus() {
  const current = useStore(control);
  return useQuery({
    queryKey: [...webPushKeys.status, current === WEB_PUSH_NOT_AVAILABLE ? 'stub' : 'module'],
    queryFn: () => settle(() => current.status()),
    staleTime: Infinity,
    retry: false,
  });
}

/** Asks for the current push state, outside React (e.g. before offering to enable it). */
export const fetchWebPushStatus = (): Promise<WebPushStatus> => settle(() => control.get().status());

/** Enables (`true`) or disables push in this browser; the answer becomes the shown state. */
export function useToggleWebPush() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (on: boolean) => toggleWebPush(queryClient, on),
    meta: { silent: true },
  });
}

export async function toggleWebPush(queryClient: QueryClient, on: boolean): Promise<WebPushStatus> {
  const status = await settle(() => (on ? control.get().enable() : control.get().disable()));
  queryClient.setQueriesData<WebPushStatus>({ queryKey: webPushKeys.status }, status);
  return status;
}
