import type { WebPushControl, WebPushStatus } from '../lib/web-push';

/** The states the Web Push module (features/notifications/lib/web-push.ts) answers. */
export type PushModuleState = 'unsupported' | 'denied' | 'disabled' | 'enabled';

/** The part of the Web Push module the settings use (its functions' own browser/API defaults apply). */
export interface PushModule {
  pushNotificationState(): Promise<PushModuleState>;
  enablePushNotifications(): Promise<PushModuleState>;
  disablePushNotifications(): Promise<PushModuleState>;
}

export const UNSUPPORTED_REASON =
  'This browser cannot show notifications from MicroNote while it is closed (it has no service worker or Push API, or the page is not served over HTTPS).';

function toStatus(state: PushModuleState): WebPushStatus {
  switch (state) {
    case 'unsupported':
      return { state: 'unsupported', reason: UNSUPPORTED_REASON };
    case 'denied':
      return { state: 'denied' };
    case 'disabled':
      return { state: 'default' };
    case 'enabled':
      return { state: 'subscribed' };
  }
}

/** The Web Push module as the settings' port (lib/web-push.ts) wants it; thrown errors become the `error` state there. */
export function webPushControlFrom(module: PushModule): WebPushControl {
  return {
    status: async () => toStatus(await module.pushNotificationState()),
    enable: async () => toStatus(await module.enablePushNotifications()),
    disable: async () => toStatus(await module.disablePushNotifications()),
  };
}
