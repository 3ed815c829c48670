import type { AppNotification, Invitation, NotificationsPage } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router-dom';

import type * as ApiClient from '../../../lib/api-client';
import { api, ApiError } from '../../../lib/api-client';
import { addNotificationToCache } from '../api/get-notifications';
import { NotificationsBell } from './notifications-bell';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn(), delete: jest.fn() },
}));

const ANN = { id: '1', username: 'ann', displayName: 'Ann' };
const note = (id: string, readAt: string | null = null): AppNotification => ({
  id,
  kind: 'TODO_COMPLETED',
  actor: ANN,
  subject: { kind: 'todo', id: `t${id}`, title: `Buy milk ${id}` },
  list: { id: '9', name: 'Groceries' },
  readAt,
  createdAt: new Date().toISOString(),
});
const PAGE: NotificationsPage = { items: [note('2'), note('1', '2026-01-01T00:00:00.000Z')], nextCursor: null, unread: 1 };
const INVITATION: Invitation = {
  kind: 'list',
  id: '9',
  title: 'Groceries',
  role: 'editor',
  owner: ANN,
  invitedAt: new Date().toISOString(),
};

function Where() {
  const location = useLocation();
  return <output data-testid="where">{`${location.pathname}${location.search}`}</output>;
}

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const onInvitationAnswered = jest.fn();
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <NotificationsBell onInvitationAnswered={onInvitationAnswered} />
        <Where />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { client, onInvitationAnswered };
}

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

describe(NotificationsBell.name, () => {
  beforeEach(() => {
    jest
      .mocked(api.get)
      .mockReset()
      .mockImplementation(async (path: string) => (path === '/api/shared/invitations' ? { items: [INVITATION] } : PAGE));
    jest.mocked(api.post).mockReset().mockResolvedValue(undefined);
    jest.mocked(api.delete).mockReset().mockResolvedValue(undefined);
  });
  afterEach(cleanup);

  it('shows the unread count, and one more when a notification arrives live', async () => {
    const { client } = setup();
    expect(await screen.findByRole('button', { name: 'Notifications, 1 unread' })).toBeTruthy();
    act(() => addNotificationToCache(client, note('3')));
    expect(await screen.findByRole('button', { name: 'Notifications, 2 unread' })).toBeTruthy();
    // The same one twice (a replay) counts once.
    act(() => addNotificationToCache(client, note('3')));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.getByRole('button', { name: 'Notifications, 2 unread' })).toBeTruthy();
  });

  it('opens the panel with the invitations and the notifications; Accept answers and tells the app', async () => {
    const { onInvitationAnswered } = setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Notifications, 1 unread' }));
    const dialog = await screen.findByRole('dialog', { name: 'Notifications' });
    const invitations = await within(dialog).findByRole('list', { name: 'Invitations' });
    expect(invitations.textContent).toMatch(/Ann invites you to edit the todo list “Groceries”/);
    const list = within(dialog).getByRole('list', { name: 'Notifications' });
    expect(within(list).getAllByRole('listitem')[0].textContent).toMatch(/Unread: Ann completed “Buy milk 2” in Groceries/);

    jest.mocked(api.get).mockImplementation(async (path: string) => (path === '/api/shared/invitations' ? { items: [] } : PAGE));
    fireEvent.click(within(invitations).getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/lists/9/members/me/accept'));
    await waitFor(() => expect(onInvitationAnswered).toHaveBeenCalledWith({ invitation: INVITATION, accept: true }));
    await waitFor(() => expect(within(dialog).queryByRole('list', { name: 'Invitations' })).toBeNull());
  });

  it('declines an invitation', async () => {
    setup();
    fireEvent.click(await screen.findByRole('button', { name: /Notifications/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Notifications' });
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Decline' }));
    await waitFor(() => expect(api.delete).toHaveBeenCalledWith('/api/lists/9/members/me'));
  });

  it('marks all read at once, and Escape closes the panel', async () => {
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Notifications, 1 unread' }));
    const dialog = await screen.findByRole('dialog', { name: 'Notifications' });
    jest
      .mocked(api.get)
      .mockImplementation(async (path: string) =>
        path === '/api/shared/invitations' ? { items: [] } : { ...PAGE, unread: 0, items: PAGE.items.map((n) => ({ ...n, readAt: 'x' })) },
      );
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Mark all read' }));
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/notifications/read', {}));
    expect(screen.getByRole('button', { name: 'Notifications' })).toBeTruthy();
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('says when there is nothing yet', async () => {
    jest
      .mocked(api.get)
      .mockImplementation(async (path: string) =>
        path === '/api/shared/invitations' ? { items: [] } : { items: [], nextCursor: null, unread: 0 },
      );
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Notifications' }));
    expect(await screen.findByText('No notifications yet')).toBeTruthy();
  });

  it('opens a notification from the keyboard: it is marked read and leads to its list', async () => {
    setup();
    const bell = await screen.findByRole('button', { name: 'Notifications, 1 unread' });
    expect(bell.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(bell);
    expect(bell.getAttribute('aria-expanded')).toBe('true');
    const dialog = await screen.findByRole('dialog', { name: 'Notifications' });
    const item = await within(dialog).findByRole('button', { name: /Unread: Ann completed “Buy milk 2”/ });
    // A native button: Enter and Space click it.
    expect(item.tagName).toBe('BUTTON');
    fireEvent.click(item);
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/notifications/read', { ids: ['2'] }));
    expect(screen.getByTestId('where').textContent).toBe('/todos?list=9');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('says while the notifications load, and when they or the invitations cannot be loaded (each with a retry)', async () => {
    let answer: (page: unknown) => void = () => undefined;
    jest.mocked(api.get).mockImplementation((path: string) =>
      path === '/api/shared/invitations'
        ? Promise.reject(new ApiError(0, undefined, 'Network error'))
        : new Promise((resolve) => (answer = resolve)),
    );
    setup();
    fireEvent.click(screen.getByRole('button', { name: 'Notifications' }));
    const dialog = await screen.findByRole('dialog', { name: 'Notifications' });
    expect(within(dialog).getByRole('status', { name: 'Loading notifications' })).toBeTruthy();
    const invitationsError = await within(dialog).findByRole('alert');
    expect(invitationsError.textContent).toContain('Invitations could not be loaded');

    jest.mocked(api.get).mockImplementation(async (path: string) => {
      if (path === '/api/shared/invitations') return { items: [INVITATION] };
      throw new ApiError(500, { code: 'INTERNAL', message: 'boom' });
    });
    answer(Promise.reject(new ApiError(500, { code: 'INTERNAL', message: 'boom' })));
    fireEvent.click(within(invitationsError).getByRole('button', { name: 'Try again' }));
    expect(await within(dialog).findByRole('list', { name: 'Invitations' })).toBeTruthy();
    const notificationsError = await within(dialog).findByRole('alert');
    expect(notificationsError.textContent).toContain('Notifications could not be loaded');

    jest.mocked(api.get).mockImplementation(async (path: string) => (path === '/api/shared/invitations' ? { items: [INVITATION] } : PAGE));
    fireEvent.click(within(notificationsError).getByRole('button', { name: 'Try again' }));
    expect(await within(dialog).findByRole('list', { name: 'Notifications' })).toBeTruthy();
  });

  it('says why an invitation could not be answered, and keeps it', async () => {
    jest.mocked(api.delete).mockRejectedValue(new ApiError(404, { code: 'NOTE_NOT_FOUND', message: 'The invitation is gone' }));
    setup();
    fireEvent.click(await screen.findByRole('button', { name: /Notifications/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Notifications' });
    const row = await within(dialog).findByRole('listitem', { name: 'Invitation to “Groceries”' });
    fireEvent.click(within(row).getByRole('button', { name: 'Decline' }));
    expect((await within(row).findByRole('alert')).textContent).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Accept' })).toBeTruthy();
  });
});
