import type { WebPushEnvironment } from './web-push';
import { base64UrlToBytes, disablePushNotifications, enablePushNotifications, pushNotificationState } from './web-push';

const KEY = 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';

function fakeSubscription(endpoint: string, key: Uint8Array | null = base64UrlToBytes(KEY)) {
  return {
    endpoint,
    options: { applicationServerKey: key ? key.buffer : null },
    toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: 'p'.repeat(87), auth: 'a'.repeat(22) } }),
    unsubscribe: jest.fn(async () => true),
  } as unknown as PushSubscription & { unsubscribe: jest.Mock };
}

function environment(
  options: { permission?: NotificationPermission; answer?: NotificationPermission; existing?: PushSubscription | null } = {},
) {
  let current: PushSubscription | null = options.existing ?? null;
  const pushManager = {
    getSubscription: jest.fn(async () => current),
    subscribe: jest.fn(async () => (current = fakeSubscription('https://push.example.com/new'))),
  };
  const registration = { pushManager } as unknown as ServiceWorkerRegistration;
  const serviceWorker = {
    register: jest.fn(async () => registration),
    ready: Promise.resolve(registration),
    getRegistration: jest.fn(async () => registration),
  };
  const notification = { permission: options.permission ?? 'default', requestPermission: jest.fn(async () => options.answer ?? 'granted') };
  const api = {
    get: jest.fn(async () => ({ publicKey: KEY })),
    post: jest.fn(async () => undefined),
    delete: jest.fn(async () => undefined),
  };
  const env = { serviceWorker, notification, pushSupported: true, api } as unknown as WebPushEnvironment;
  return { env, api, pushManager, serviceWorker, notification };
}

describe('enablePushNotifications', () => {
  it('registers /sw.js, asks for permission, subscribes with the VAPID key and saves the subscription', async () => {
    const { env, api, pushManager, serviceWorker } = environment();
    await expect(enablePushNotifications(env)).resolves.toBe('enabled');
    expect(serviceWorker.register).toHaveBeenCalledWith('/sw.js', { scope: '/' });
    expect(api.get).toHaveBeenCalledWith('/api/push/key');
    expect(pushManager.subscribe).toHaveBeenCalledWith({ userVisibleOnly: true, applicationServerKey: base64UrlToBytes(KEY) });
    expect(api.post).toHaveBeenCalledWith('/api/push/subscriptions', {
      endpoint: 'https://push.example.com/new',
      keys: { p256dh: 'p'.repeat(87), auth: 'a'.repeat(22) },
    });
  });

  it('keeps a subscription of the same key, and replaces one made for another key', async () => {
    const same = fakeSubscription('https://push.example.com/same');
    const kept = environment({ existing: same });
    await enablePushNotifications(kept.env);
    expect(kept.pushManager.subscribe).not.toHaveBeenCalled();
    expect(kept.api.post).toHaveBeenCalledWith(
      '/api/push/subscriptions',
      expect.objectContaining({ endpoint: 'https://push.example.com/same' }),
    );

    const stale = fakeSubscription('https://push.example.com/old', new Uint8Array([4, 1, 2]));
    const replaced = environment({ existing: stale });
    await enablePushNotifications(replaced.env);
    expect(stale.unsubscribe).toHaveBeenCalled();
    expect(replaced.api.post).toHaveBeenCalledWith(
      '/api/push/subscriptions',
      expect.objectContaining({ endpoint: 'https://push.example.com/new' }),
    );
  });

  it('stops when permission is refused or push is not supported', async () => {
    const refused = environment({ answer: 'denied' });
    await expect(enablePushNotifications(refused.env)).resolves.toBe('denied');
    expect(refused.serviceWorker.register).not.toHaveBeenCalled();
    expect(refused.api.post).not.toHaveBeenCalled();
    await expect(enablePushNotifications({ ...refused.env, pushSupported: false })).resolves.toBe('unsupported');
  });
});

describe('disablePushNotifications', () => {
  it('deletes the subscription on the server, then in the browser', async () => {
    const subscription = fakeSubscription('https://push.example.com/mine');
    const { env, api } = environment({ permission: 'granted', existing: subscription });
    await expect(pushNotificationState(env)).resolves.toBe('enabled');
    await expect(disablePushNotifications(env)).resolves.toBe('disabled');
    expect(api.delete).toHaveBeenCalledWith('/api/push/subscriptions', { body: { endpoint: 'https://push.example.com/mine' } });
    expect(subscription.unsubscribe).toHaveBeenCalled();
  });

  it('does nothing without a subscription', async () => {
    const { env, api } = environment({ permission: 'granted' });
    await expect(pushNotificationState(env)).resolves.toBe('disabled');
    await disablePushNotifications(env);
    expect(api.delete).not.toHaveBeenCalled();
  });
});
