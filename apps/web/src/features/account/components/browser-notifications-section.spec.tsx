import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

import type { WebPushControl, WebPushStatus } from '../../../lib/web-push';
import { provideWebPush, WEB_PUSH_NOT_AVAILABLE } from '../../../lib/web-push';
import { BrowserNotificationsSection } from './browser-notifications-section';

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <BrowserNotificationsSection />
    </QueryClientProvider>,
  );
}

const control = (
  status: WebPushStatus,
  after: Partial<Record<'enable' | 'disable', () => Promise<WebPushStatus>>> = {},
): WebPushControl => ({
  status: jest.fn(async () => status),
  enable: jest.fn(after.enable ?? (async () => ({ state: 'subscribed' as const }))),
  disable: jest.fn(after.disable ?? (async () => ({ state: 'default' as const }))),
});

const status = () => screen.getByRole('status');

describe(BrowserNotificationsSection.name, () => {
  afterEach(() => {
    cleanup();
    provideWebPush(WEB_PUSH_NOT_AVAILABLE);
  });

  it('says so while push is not available in this build, and offers nothing to click', async () => {
    setup();
    await waitFor(() => expect(status().textContent).toContain('not available in this version of MicroNote'));
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('is off until asked; Enable turns it on, Turn off turns it off', async () => {
    const push = control({ state: 'default' });
    provideWebPush(push);
    setup();
    const enable = await screen.findByRole('button', { name: 'Enable browser notifications' });
    // Never asked by itself.
    expect(push.enable).not.toHaveBeenCalled();
    expect(status().textContent).toContain('Off');
    fireEvent.click(enable);
    await waitFor(() => expect(status().textContent).toContain('This browser shows each reminder'));
    expect(push.enable).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Turn off' }));
    await screen.findByRole('button', { name: 'Enable browser notifications' });
    expect(push.disable).toHaveBeenCalledTimes(1);
  });

  it('explains how to undo a block in the browser’s settings, and checks again on request', async () => {
    const push = control({ state: 'default' }, { enable: async () => ({ state: 'denied' }) });
    provideWebPush(push);
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Enable browser notifications' }));
    await waitFor(() => expect(status().textContent).toContain('Blocked'));
    expect(status().textContent).toContain('set Notifications to Allow');
    jest.mocked(push.status).mockResolvedValue({ state: 'subscribed' });
    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(status().textContent).toContain('This browser shows'));
  });

  it('shows an error from the module (thrown or answered) with Check again', async () => {
    const push = control({ state: 'default' }, { enable: async () => Promise.reject(new Error('Push service unreachable')) });
    provideWebPush(push);
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Enable browser notifications' }));
    await waitFor(() => expect(status().textContent).toContain('Something went wrong: Push service unreachable'));
    expect(screen.getByRole('button', { name: 'Check again' })).toBeTruthy();
  });

  it('shows a browser that cannot do it', async () => {
    provideWebPush(control({ state: 'unsupported', reason: 'This browser has no Push API.' }));
    setup();
    await waitFor(() => expect(status().textContent).toContain('This browser has no Push API.'));
  });
});
