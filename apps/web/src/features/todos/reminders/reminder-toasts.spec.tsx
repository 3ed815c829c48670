import type { ChangeEvent, Todo } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';

import { Toaster } from '../../../components/toaster';
import type * as ApiClient from '../../../lib/api-client';
import { api, ApiError } from '../../../lib/api-client';
import { preferences } from '../../../lib/preferences';
import { titleCount } from '../../../lib/title-count';
import { todoFixture } from '../testing/todo-fixtures';
import { applyReminderEvent } from './reminder-events';
import { acknowledgeReminders, activeReminders, clearReminders, receiveReminder } from './reminder-store';
import { ReminderToasts } from './reminder-toasts';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn(), patch: jest.fn(), delete: jest.fn() },
}));

const REMIND_AT = '2030-12-09T13:50:00.000Z';
const DUE = '2030-12-09T14:00:00.000Z';
const todo = (patch: Partial<Todo> = {}) =>
  todoFixture('7', { text: 'Call the bank', dueDate: DUE, allDay: false, remindAt: REMIND_AT, ...patch });
const reminderEvent = (patch: Partial<ChangeEvent> = {}): ChangeEvent => ({
  id: '100-0',
  type: 'REMINDER',
  userId: '1',
  at: REMIND_AT,
  todoId: '7',
  todo: todo(),
  late: false,
  ...patch,
});

let client: QueryClient;
function setup() {
  client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <button type="button">Elsewhere</button>
        <main id="main">page</main>
        <ReminderToasts />
      </MemoryRouter>
      <Toaster />
    </QueryClientProvider>,
  );
}

const region = () => screen.getByRole('region', { name: 'Reminders' });
const toasts = () => document.querySelectorAll('.reminder-stack .reminder-toast');
const fire = (event: ChangeEvent) => act(() => applyReminderEvent(client, event));

describe('ReminderToasts', () => {
  beforeEach(() => {
    preferences.set({ timeZone: 'America/New_York', locale: 'en-US' });
    clearReminders();
    jest.mocked(api.get).mockReset();
    jest.mocked(api.post).mockReset();
    jest.mocked(api.patch).mockReset();
  });
  afterEach(cleanup);

  it('shows a reminder with its due time, in a live region, without taking focus', () => {
    setup();
    const elsewhere = screen.getByRole('button', { name: 'Elsewhere' });
    elsewhere.focus();
    fire(reminderEvent());
    const shown = within(region()).getByRole('status');
    expect(shown.textContent).toContain('Reminder: Call the bank');
    expect(shown.textContent).toContain('Due Mon, Dec 9, 2030, 9:00');
    expect(shown.textContent).not.toContain('Late');
    expect(region().querySelector('[aria-live="polite"]')?.contains(shown)).toBe(true);
    expect(document.activeElement).toBe(elsewhere);
    expect(within(shown).getByRole('button', { name: 'Done' })).toBeTruthy();
    expect(within(shown).getByRole('button', { name: 'Snooze 10 min' })).toBeTruthy();
  });

  it('shows each reminder once: the same event again, or a replay of it under another id', () => {
    setup();
    act(() => expect(receiveReminder(reminderEvent())).toBe(true));
    fire(reminderEvent());
    fire(reminderEvent({ id: '101-0' }));
    expect(toasts()).toHaveLength(1);
    // The same todo reminded again at another time (after a snooze) is a new reminder.
    fire(reminderEvent({ id: '102-0', todo: todo({ remindAt: '2030-12-09T14:05:00.000Z' }) }));
    expect(toasts()).toHaveLength(1);
    expect(activeReminders()[0].remindAt).toBe('2030-12-09T14:05:00.000Z');
  });

  it('says when it fired late', () => {
    setup();
    fire(reminderEvent({ late: true }));
    expect(toasts()[0].textContent).toContain('Late: it was set for Mon, Dec 9, 2030, 8:50');
  });

  it('Done completes the todo and the toast goes; focus moves on to the page', async () => {
    jest.mocked(api.patch).mockResolvedValue(todo({ completed: true, version: 2 }));
    setup();
    fire(reminderEvent());
    const done = within(region()).getByRole('button', { name: 'Done' });
    done.focus();
    fireEvent.click(done);
    await waitFor(() => expect(toasts()).toHaveLength(0));
    expect(api.patch).toHaveBeenCalledWith('/api/todos/7', { completed: true });
    expect(document.activeElement).toBe(document.getElementById('main'));
  });

  it('Snooze 10 min posts the snooze and tells the new time', async () => {
    jest.mocked(api.post).mockResolvedValue(todo({ remindAt: '2030-12-09T14:05:00.000Z', version: 2 }));
    setup();
    fire(reminderEvent());
    fireEvent.click(within(region()).getByRole('button', { name: 'Snooze 10 min' }));
    await waitFor(() => expect(toasts()).toHaveLength(0));
    expect(api.post).toHaveBeenCalledWith('/api/todos/7/snooze', { minutes: 10 });
    expect(await screen.findByText(/^Snoozed: reminding you again at Mon, Dec 9, 2030, 9:05/)).toBeTruthy();
  });

  it('a failed snooze keeps the toast and says why; a todo gone meanwhile takes it away', async () => {
    jest.mocked(api.post).mockRejectedValueOnce(new Error('Network down'));
    setup();
    fire(reminderEvent());
    fireEvent.click(within(region()).getByRole('button', { name: 'Snooze 10 min' }));
    expect(await screen.findByText('Not snoozed: Network down')).toBeTruthy();
    expect(toasts()).toHaveLength(1);
    jest
      .mocked(api.post)
      .mockRejectedValueOnce(new ApiError(404, { statusCode: 404, error: 'Not Found', message: 'Todo not found', code: 'TODO_NOT_FOUND' }));
    fireEvent.click(within(region()).getByRole('button', { name: 'Snooze 10 min' }));
    await waitFor(() => expect(toasts()).toHaveLength(0));
  });

  it('dismisses with ✕ or Escape, moving focus to the next reminder', () => {
    setup();
    fire(reminderEvent());
    fire(reminderEvent({ id: '101-0', todoId: '8', todo: todoFixture('8', { text: 'Water plants', remindAt: REMIND_AT }) }));
    expect(toasts()).toHaveLength(2);
    const dismiss = within(region()).getByRole('button', { name: 'Dismiss reminder: Water plants' });
    dismiss.focus();
    fireEvent.click(dismiss);
    expect(toasts()).toHaveLength(1);
    expect(document.activeElement?.closest('.reminder-toast')?.textContent).toContain('Call the bank');
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });
    expect(toasts()).toHaveLength(0);
  });

  it('a toast with focus ended by another tab moves focus on; focus the user moved elsewhere stays there', () => {
    setup();
    fire(reminderEvent());
    within(region()).getByRole('button', { name: 'Snooze 10 min' }).focus();
    fire({ ...reminderEvent(), id: '103-0', type: 'TODO_COMPLETED', todo: todo({ completed: true, version: 2 }) });
    expect(document.activeElement).toBe(document.getElementById('main'));

    fire(reminderEvent({ id: '104-0', todo: todo({ remindAt: '2030-12-09T15:00:00.000Z', version: 3 }) }));
    within(region()).getByRole('button', { name: 'Done' }).focus();
    const elsewhere = screen.getByRole('button', { name: 'Elsewhere' });
    elsewhere.focus();
    fire({ ...reminderEvent(), id: '105-0', type: 'TODO_DELETED', todo: undefined });
    expect(document.activeElement).toBe(elsewhere);
  });

  it('goes away when the todo is completed, deleted or snoozed elsewhere, and follows other edits', () => {
    setup();
    fire(reminderEvent());
    fire({ ...reminderEvent(), id: '103-0', type: 'TODO_UPDATED', todo: todo({ text: 'Call the bank today', version: 2 }) });
    expect(toasts()[0].textContent).toContain('Call the bank today');
    fire({ ...reminderEvent(), id: '104-0', type: 'TODO_UPDATED', todo: todo({ remindAt: '2030-12-09T14:05:00.000Z', version: 3 }) });
    expect(toasts()).toHaveLength(0);

    fire(reminderEvent({ id: '105-0', todo: todo({ remindAt: '2030-12-09T14:05:00.000Z', version: 3 }) }));
    expect(toasts()).toHaveLength(1);
    fire({ ...reminderEvent(), id: '106-0', type: 'TODO_COMPLETED', todo: todo({ completed: true, version: 4 }) });
    expect(toasts()).toHaveLength(0);

    fire(reminderEvent({ id: '107-0', todo: todo({ remindAt: '2030-12-09T15:00:00.000Z', version: 4 }) }));
    fire({ ...reminderEvent(), id: '108-0', type: 'TODO_DELETED', todo: undefined });
    expect(toasts()).toHaveLength(0);
    // Nothing on show: no empty landmark, but the live region stays for the next one.
    expect(screen.queryByRole('region', { name: 'Reminders' })).toBeNull();
    expect(document.querySelector('.reminder-stack [aria-live="polite"]')).toBeTruthy();
  });

  it('counts unacknowledged reminders for the title until the Todos page is seen', () => {
    setup();
    fire(reminderEvent());
    expect(titleCount.get()).toBe(1);
    act(() => acknowledgeReminders());
    expect(titleCount.get()).toBe(0);
    // Still on show until answered.
    expect(toasts()).toHaveLength(1);
  });

  it('a reminder that came without its todo takes the cached one, else fetches it', async () => {
    jest.mocked(api.get).mockResolvedValue(todo({ text: 'Fetched' }));
    setup();
    fire(reminderEvent({ todo: undefined, truncated: true }));
    await waitFor(() => expect(toasts()).toHaveLength(1));
    expect(api.get).toHaveBeenCalledWith('/api/todos/7');
    expect(toasts()[0].textContent).toContain('Fetched');
  });

  it('shows three at once, and how many more wait', () => {
    setup();
    for (const id of ['1', '2', '3', '4', '5'])
      fire(reminderEvent({ id: `${id}-0`, todoId: id, todo: todoFixture(id, { remindAt: REMIND_AT }) }));
    expect(toasts()).toHaveLength(3);
    // Newest first.
    expect(toasts()[0].textContent).toContain('Todo 5');
    expect(within(region()).getByRole('link', { name: '2 more reminders: open Todos' })).toBeTruthy();
  });
});
