import type { Todo, TodoList } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';

import { Toaster } from '../../../components/toaster';
import type * as ApiClient from '../../../lib/api-client';
import { api } from '../../../lib/api-client';
import { preferences } from '../../../lib/preferences';
import type { WebPushControl } from '../../../lib/web-push';
import { provideWebPush, WEB_PUSH_NOT_AVAILABLE } from '../../../lib/web-push';
import { PUSH_HINT_KEY } from '../reminders/push-hint';
import { EMPTY_TODO_STATS, todoFixture } from '../testing/todo-fixtures';
import { TodosPage } from './todos-page';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn(), patch: jest.fn(), delete: jest.fn() },
}));

const ZONE = 'America/New_York';
const todo = todoFixture;
// Far enough ahead to stay in the future; 14:00Z is 9:00 in New York.
const DUE = '2030-12-09T14:00:00.000Z';
let topLevel: Todo[];

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/todos']}>
        <Routes>
          <Route path="/todos" element={<TodosPage />} />
        </Routes>
      </MemoryRouter>
      <Toaster />
    </QueryClientProvider>,
  );
}

const quickAdd = () => within(document.querySelector('form.quick-add') as HTMLElement);
const remindSelect = (scope: ReturnType<typeof within>) => scope.getByLabelText('Remind me') as HTMLSelectElement;

describe('ReminderPicker', () => {
  beforeEach(() => {
    preferences.set({ timeZone: ZONE, locale: 'en-US' });
    localStorage.clear();
    provideWebPush(WEB_PUSH_NOT_AVAILABLE);
    topLevel = [];
    jest
      .mocked(api.get)
      .mockReset()
      .mockImplementation(async (path: string) => {
        if (path === '/api/lists') return { items: [] as TodoList[] };
        if (path === '/api/todos/stats') return EMPTY_TODO_STATS;
        return { items: topLevel, nextCursor: null };
      });
    jest.mocked(api.post).mockReset();
    jest.mocked(api.patch).mockReset();
  });
  afterEach(cleanup);

  describe('in the edit view', () => {
    const edit = async () => {
      setup();
      await screen.findByText('Todo 1');
      fireEvent.click(screen.getByRole('button', { name: 'Edit “Todo 1”' }));
      return within(screen.getByRole('form', { name: 'Edit “Todo 1”' }));
    };
    const save = () => fireEvent.submit(screen.getByRole('form', { name: 'Edit “Todo 1”' }));

    it('sets a reminder 1 hour before the due time', async () => {
      topLevel = [todo('1', { dueDate: DUE, allDay: false })];
      jest
        .mocked(api.patch)
        .mockImplementation(async () => todo('1', { dueDate: DUE, allDay: false, remindAt: '2030-12-09T13:00:00.000Z', version: 2 }));
      const form = await edit();
      expect(remindSelect(form).value).toBe('none');
      fireEvent.change(remindSelect(form), { target: { value: '1h' } });
      // Where that is, in the user's zone and locale.
      expect(form.getByText(/Mon, Dec 9, 2030, 8:00\sAM/)).toBeTruthy();
      save();
      await waitFor(() => expect(api.patch).toHaveBeenCalledWith('/api/todos/1', { remindAt: '2030-12-09T13:00:00.000Z', version: 1 }));
    });

    it('reads a reminder back as its preset, sends nothing when unchanged and null for None', async () => {
      topLevel = [todo('1', { dueDate: DUE, allDay: false, remindAt: '2030-12-09T13:50:00.000Z' })];
      jest.mocked(api.patch).mockImplementation(async () => todo('1', { version: 2 }));
      let form = await edit();
      expect(remindSelect(form).value).toBe('10m');
      fireEvent.change(form.getByLabelText('Text'), { target: { value: 'Standup' } });
      save();
      await waitFor(() => expect(api.patch).toHaveBeenCalledWith('/api/todos/1', { text: 'Standup', version: 1 }));
      cleanup();
      jest.mocked(api.patch).mockClear();
      form = await edit();
      fireEvent.change(remindSelect(form), { target: { value: 'none' } });
      save();
      await waitFor(() => expect(api.patch).toHaveBeenCalledWith('/api/todos/1', { remindAt: null, version: 1 }));
    });

    it('takes a custom date and time in the user’s zone', async () => {
      topLevel = [todo('1')];
      jest.mocked(api.patch).mockImplementation(async () => todo('1', { version: 2 }));
      const form = await edit();
      // No due time: the presets are there but off, and it says why.
      expect((form.getByRole('option', { name: '1 hour before' }) as HTMLOptionElement).disabled).toBe(true);
      expect(form.getByText('Set a due time to be reminded before it')).toBeTruthy();
      fireEvent.change(remindSelect(form), { target: { value: 'custom' } });
      fireEvent.change(form.getByLabelText('Reminder date'), { target: { value: '2030-07-01' } });
      fireEvent.change(form.getByLabelText('Remind at'), { target: { value: '18:45' } });
      expect(form.getByText('America/New York')).toBeTruthy();
      save();
      // 18:45 EDT is 22:45Z.
      await waitFor(() => expect(api.patch).toHaveBeenCalledWith('/api/todos/1', { remindAt: '2030-07-01T22:45:00.000Z', version: 1 }));
    });

    it('refuses a time that has passed, and says so', async () => {
      topLevel = [todo('1')];
      const form = await edit();
      fireEvent.change(remindSelect(form), { target: { value: 'custom' } });
      fireEvent.change(form.getByLabelText('Reminder date'), { target: { value: '2020-01-01' } });
      expect(form.getByText('That time has passed: pick a later one.')).toBeTruthy();
      expect(remindSelect(form).getAttribute('aria-invalid')).toBe('true');
      expect((form.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
      save();
      expect(api.patch).not.toHaveBeenCalled();
    });

    it('keeps a preset where it was when the due time goes away', async () => {
      topLevel = [todo('1', { dueDate: DUE, allDay: false })];
      const form = await edit();
      fireEvent.change(remindSelect(form), { target: { value: '1h' } });
      fireEvent.click(form.getByLabelText('All day'));
      expect(remindSelect(form).value).toBe('custom');
      expect((form.getByLabelText('Reminder date') as HTMLInputElement).value).toBe('2030-12-09');
      expect((form.getByLabelText('Remind at') as HTMLInputElement).value).toBe('08:00');
    });
  });

  describe('on the row', () => {
    it('shows the bell chip with the time in the user’s zone; a fired one muted; none on a completed todo', async () => {
      topLevel = [
        todo('1', { remindAt: '2030-12-09T13:00:00.000Z' }),
        todo('2', { remindAt: '2020-12-09T13:00:00.000Z' }),
        todo('3', { remindAt: '2030-12-09T13:00:00.000Z', completed: true }),
      ];
      setup();
      const row = (id: string) => (document.querySelector(`[data-todo-id="${id}"]`) as HTMLElement) ?? null;
      await screen.findByText('Todo 1');
      const chip = row('1').querySelector('.reminder-chip') as HTMLElement;
      expect(chip.textContent).toMatch(/^Reminder Mon, Dec 9, 2030, 8:00\sAM$/);
      expect(chip.querySelector('time')?.getAttribute('datetime')).toBe('2030-12-09T13:00:00.000Z');
      expect(row('2').querySelector('.reminder-chip')?.classList.contains('is-past')).toBe(true);
      expect(row('2').querySelector('.reminder-chip')?.textContent).toMatch(/^Reminded /);
      await waitFor(() => expect(row('3')).toBeTruthy());
      expect(row('3').querySelector('.reminder-chip')).toBeNull();
    });
  });

  describe('in quick add', () => {
    const add = async (fill: () => void) => {
      jest.mocked(api.post).mockImplementation(async (_path: string, body: unknown) => todo('new', body as Partial<Todo>));
      setup();
      const input = await screen.findByLabelText('New todo');
      fireEvent.change(input, { target: { value: 'Standup' } });
      fill();
      fireEvent.submit(input.closest('form') as HTMLFormElement);
    };

    it('sends remindAt with the due time', async () => {
      await add(() => {
        fireEvent.change(quickAdd().getByLabelText('Due date'), { target: { value: '2030-12-09' } });
        fireEvent.click(quickAdd().getByLabelText('All day'));
        fireEvent.change(quickAdd().getByLabelText('Time'), { target: { value: '09:00' } });
        fireEvent.change(remindSelect(quickAdd()), { target: { value: 'at-due' } });
      });
      await waitFor(() => expect(api.post).toHaveBeenCalled());
      expect(jest.mocked(api.post).mock.calls[0][1]).toEqual({
        text: 'Standup',
        priority: 'medium',
        dueDate: DUE,
        allDay: false,
        remindAt: DUE,
      });
      // Ready for the next one: no reminder.
      await waitFor(() => expect(remindSelect(quickAdd()).value).toBe('none'));
    });

    it('does not add with a reminder that has passed', async () => {
      await add(() => {
        fireEvent.change(remindSelect(quickAdd()), { target: { value: 'custom' } });
        fireEvent.change(quickAdd().getByLabelText('Reminder date'), { target: { value: '2020-01-01' } });
      });
      expect(await quickAdd().findByText('That time has passed: pick a later one.')).toBeTruthy();
      expect(api.post).not.toHaveBeenCalled();
    });

    it('offers browser notifications once, the first time a reminder is set, and enables them on request only', async () => {
      const control: WebPushControl = {
        status: jest.fn(async () => ({ state: 'default' as const })),
        enable: jest.fn(async () => ({ state: 'subscribed' as const })),
        disable: jest.fn(async () => ({ state: 'default' as const })),
      };
      provideWebPush(control);
      const withReminder = () => {
        fireEvent.change(remindSelect(quickAdd()), { target: { value: 'custom' } });
        fireEvent.change(quickAdd().getByLabelText('Reminder date'), { target: { value: '2030-01-01' } });
      };
      await add(withReminder);
      const hint = await screen.findByText('Get reminders even when MicroNote is closed');
      expect(control.enable).not.toHaveBeenCalled();
      fireEvent.click(within(hint.closest('.toast') as HTMLElement).getByRole('button', { name: 'Enable' }));
      await waitFor(() => expect(control.enable).toHaveBeenCalledTimes(1));
      expect(await screen.findByText(/^Browser notifications are on/)).toBeTruthy();
      expect(localStorage.getItem(PUSH_HINT_KEY)).toBeTruthy();

      // Once: the next reminder does not offer it again.
      jest.mocked(control.status).mockClear();
      fireEvent.change(screen.getByLabelText('New todo'), { target: { value: 'Again' } });
      withReminder();
      fireEvent.submit(screen.getByLabelText('New todo').closest('form') as HTMLFormElement);
      await waitFor(() => expect(api.post).toHaveBeenCalledTimes(2));
      expect(control.status).not.toHaveBeenCalled();
    });

    it('does not offer them where they are not available', async () => {
      await add(() => {
        fireEvent.change(remindSelect(quickAdd()), { target: { value: 'custom' } });
        fireEvent.change(quickAdd().getByLabelText('Reminder date'), { target: { value: '2030-01-01' } });
      });
      await waitFor(() => expect(api.post).toHaveBeenCalled());
      await new Promise((r) => setTimeout(r, 20));
      expect(screen.queryByText('Get reminders even when MicroNote is closed')).toBeNull();
      expect(localStorage.getItem(PUSH_HINT_KEY)).toBeNull();
    });
  });
});
