import type { PushModule } from './web-push-adapter';
import { UNSUPPORTED_REASON, webPushControlFrom } from './web-push-adapter';

describe(webPushControlFrom.name, () => {
  const module = (state: Awaited<ReturnType<PushModule['pushNotificationState']>>): PushModule => ({
    pushNotificationState: jest.fn(async () => state),
    enablePushNotifications: jest.fn(async () => 'enabled' as const),
    disablePushNotifications: jest.fn(async () => 'disabled' as const),
  });

  it.each([
    ['unsupported', { state: 'unsupported', reason: UNSUPPORTED_REASON }],
    ['denied', { state: 'denied' }],
    ['disabled', { state: 'default' }],
    ['enabled', { state: 'subscribed' }],
  ] as const)('answers %s as %j', async (state, status) => {
    expect(await webPushControlFrom(module(state)).status()).toEqual(status);
  });

  it('enables and disables through the module', async () => {
    const push = module('disabled');
    const control = webPushControlFrom(push);
    expect(await control.enable()).toEqual({ state: 'subscribed' });
    expect(await control.disable()).toEqual({ state: 'default' });
    expect(push.enablePushNotifications).toHaveBeenCalledTimes(1);
    expect(push.disablePushNotifications).toHaveBeenCalledTimes(1);
  });
});
