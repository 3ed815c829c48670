import type { ChangeEvent } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';

import { PageTitle } from '../../components/page-title';
import { clearReminders, receiveReminder } from '../../features/todos/reminders/reminder-store';
import { todoFixture } from '../../features/todos/testing/todo-fixtures';
import type * as ApiClient from '../../lib/api-client';
import { api } from '../../lib/api-client';
import { AppShell } from './app-shell';

jest.mock('../realtime/use-realtime-sync', () => ({ useRealtimeSync: jest.fn() }));
jest.mock('../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn(), patch: jest.fn(), delete: jest.fn() },
}));

const reminder = (id: string): ChangeEvent => ({
  id: `${id}-0`,
  type: 'REMINDER',
  userId: '1',
  at: '2030-01-01T09:00:00.000Z',
  todoId: id,
  todo: todoFixture(id, { remindAt: '2030-01-01T09:00:00.000Z' }),
  late: false,
});

let visibility: DocumentVisibilityState = 'visible';

function setup(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(
    [
      {
        path: '/',
        element: <AppShell />,
        children: [
          { path: 'notes', element: <PageTitle>Notes · MicroNote</PageTitle> },
          { path: 'todos', element: <PageTitle>Todos · MicroNote</PageTitle> },
        ],
      },
    ],
    { initialEntries: [path] },
  );
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

const todosLink = () => screen.getByRole('link', { name: /^Todos/ });

describe(AppShell.name, () => {
  beforeAll(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
  });
  beforeEach(() => {
    visibility = 'visible';
    clearReminders();
    jest
      .mocked(api.get)
      .mockReset()
      .mockImplementation(async (path: string) => {
        if (path === '/api/notifications') return { items: [], nextCursor: null, unread: 0 };
        throw new Error(`unexpected ${path}`);
      });
  });
  afterEach(cleanup);

  it('counts reminders on the Todos link and in the title until Todos is opened', async () => {
    const router = setup('/notes');
    act(() => void receiveReminder(reminder('1')));
    act(() => void receiveReminder(reminder('2')));
    expect(todosLink().textContent).toContain('2');
    expect(todosLink().textContent).toContain('2 new reminders');
    await waitFor(() => expect(document.title).toBe('(2) Notes · MicroNote'));
    // The toasts are in the shell, on every page.
    expect(screen.getByRole('region', { name: 'Reminders' }).querySelectorAll('.reminder-toast')).toHaveLength(2);

    await act(() => router.navigate('/todos'));
    await waitFor(() => expect(document.title).toBe('Todos · MicroNote'));
    expect(todosLink().querySelector('.nav-badge')).toBeNull();
    await act(() => router.navigate('/notes'));
    expect(todosLink().querySelector('.nav-badge')).toBeNull();
  });

  it('dismissing the toast clears its count', async () => {
    setup('/notes');
    act(() => void receiveReminder(reminder('1')));
    expect(todosLink().querySelector('.nav-badge')?.textContent).toBe('1');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss reminder: Todo 1' }));
    expect(todosLink().querySelector('.nav-badge')).toBeNull();
    await waitFor(() => expect(document.title).toBe('Notes · MicroNote'));
  });

  it('on Todos in a hidden tab it counts until the tab is looked at again', async () => {
    visibility = 'hidden';
    setup('/todos');
    act(() => void receiveReminder(reminder('1')));
    await waitFor(() => expect(document.title).toBe('(1) Todos · MicroNote'));
    visibility = 'visible';
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(() => expect(document.title).toBe('Todos · MicroNote'));
  });
});
