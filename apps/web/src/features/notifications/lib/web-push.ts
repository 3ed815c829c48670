import type { PushKeyResponse, PushSubscriptionRequest } from '@micronote/contracts';

import type { ApiClient } from '../../../lib/api-client';
import { api } from '../../../lib/api-client';

/**
 * The app's service worker (src/sw/sw.ts, built to /sw.js; it loads public/push-sw.js, which shows
 * reminders), at the root scope. The app registers it at start-up (app/pwa/service-worker.ts).
 */
export const SERVICE_WORKER_URL = '/sw.js';

export type PushState = 'unsupported' | 'denied' | 'disabled' | 'enabled';

/** What the functions below use of the browser and the API (the real ones by default; fakes in tests). */
export interface WebPushEnvironment {
  serviceWorker?: ServiceWorkerContainer;
  notification?: Pick<typeof Notification, 'permission' | 'requestPermission'>;
  pushSupported: boolean;
  api: Pick<ApiClient, 'get' | 'post' | 'delete'>;
}

function browserEnvironment(): WebPushEnvironment {
  const hasWindow = typeof window !== 'undefined';
  return {
    serviceWorker: typeof navigator !== 'undefined' && 'serviceWorker' in navigator ? navigator.serviceWorker : undefined,
    notification: hasWindow && 'Notification' in window ? window.Notification : undefined,
    pushSupported: hasWindow && 'PushManager' in window,
    api,
  };
}

/** The VAPID key (base64url) as PushManager.subscribe's applicationServerKey wants it. */
export function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(value.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function sameKey(subscription: PushSubscription, key: Uint8Array): boolean {
  const current = subscription.options?.applicationServerKey;
  if (!current) return true;
  const bytes = new Uint8Array(current);
  return bytes.length === key.length && bytes.every((b, i) => b === key[i]);
}

/** The subscription as the API takes it (`PushSubscription.toJSON()` without expirationTime). */
export function toSubscriptionRequest(subscription: PushSubscription): PushSubscriptionRequest {
  const json = subscription.toJSON();
  const { p256dh, auth } = json.keys ?? {};
  if (!json.endpoint || !p256dh || !auth) throw new Error('The browser gave a push subscription without keys');
  return { endpoint: json.endpoint, keys: { p256dh, auth } };
}

/** Whether reminders reach this browser as notifications (no permission prompt, no network). */
export async function pushNotificationState(env: WebPushEnvironment = browserEnvironment()): Promise<PushState> {
  if (!env.serviceWorker || !env.notification || !env.pushSupported) return 'unsupported';
  if (env.notification.permission === 'denied') return 'denied';
  const registration = await env.serviceWorker.getRegistration('/');
  const subscription = await registration?.pushManager.getSubscription();
  return subscription && env.notification.permission === 'granted' ? 'enabled' : 'disabled';
}

/**
 * Turns reminder notifications on in this browser: registers the service worker, asks for
 * permission (call it from a click: browsers refuse prompts otherwise), subscribes with the
 * server's VAPID key (a subscription made for another key is replaced) and saves it with the API.
 */
export async function enablePushNotifications(env: WebPushEnvironment = browserEnvironment()): Promise<PushState> {
  if (!env.serviceWorker || !env.notification || !env.pushSupported) return 'unsupported';
  const permission = await env.notification.requestPermission();
  if (permission !== 'granted') return permission === 'denied' ? 'denied' : 'disabled';
  await env.serviceWorker.register(SERVICE_WORKER_URL, { scope: '/' });
  const registration = await env.serviceWorker.ready;
  const { publicKey } = await env.api.get<PushKeyResponse>('/api/push/key');
  const applicationServerKey = base64UrlToBytes(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription, applicationServerKey)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
  await env.api.post<void>('/api/push/subscriptions', toSubscriptionRequest(subscription));
  return 'enabled';
}

/** Turns them off in this browser: the server forgets the subscription, then the browser drops it. */
export async function disablePushNotifications(env: WebPushEnvironment = browserEnvironment()): Promise<PushState> {
  if (!env.serviceWorker || !env.notification || !env.pushSupported) return 'unsupported';
  const registration = await env.serviceWorker.getRegistration('/');
  const subscription = await registration?.pushManager.getSubscription();
  if (subscription) {
    await env.api.delete('/api/push/subscriptions', { body: { endpoint: subscription.endpoint } });
    await subscription.unsubscribe();
  }
  return env.notification.permission === 'denied' ? 'denied' : 'disabled';
}
