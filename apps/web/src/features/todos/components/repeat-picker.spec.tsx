import type { Page, Todo, TodoCompletion, TodoList } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';

import { Toaster } from '../../../components/toaster';
import type * as ApiClient from '../../../lib/api-client';
import { api, ApiError } from '../../../lib/api-client';
import { preferences } from '../../../lib/preferences';
import { EMPTY_TODO_STATS, todoFixture } from '../testing/todo-fixtures';
import { TodosPage } from './todos-page';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn(), patch: jest.fn(), delete: jest.fn() },
}));

const ZONE = 'America/New_York';
const todo = todoFixture;
const STATS = EMPTY_TODO_STATS;
type Query = Record<string, unknown> | undefined;

let topLevel: Todo[];
let completions: (cursor: unknown) => Promise<Page<TodoCompletion>>;

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
const completion = (id: string, day: number): TodoCompletion => ({
  id,
  dueDate: `2026-11-${String(day).padStart(2, '0')}T14:00:00.000Z`,
  completedAt: `2026-11-${String(day).padStart(2, '0')}T15:00:00.000Z`,
  completedBy: '42',
});

describe('RepeatPicker', () => {
  beforeEach(() => {
    preferences.set({ timeZone: ZONE, locale: 'en-US' });
    topLevel = [];
    completions = async () => ({ items: [], nextCursor: null });
    jest
      .mocked(api.get)
      .mockReset()
      .mockImplementation(async (path: string, options?: { query?: Query }) => {
        if (path === '/api/lists') return { items: [] as TodoList[] };
        if (path === '/api/todos/stats') return STATS;
        if (path.endsWith('/completions')) return completions(options?.query?.['cursor']);
        return { items: topLevel, nextCursor: null };
      });
    jest.mocked(api.post).mockReset();
    jest.mocked(api.patch).mockReset();
  });
  afterEach(cleanup);

  describe('in the quick-add form', () => {
    const add = async (fill: () => void) => {
      jest.mocked(api.post).mockImplementation(async (_path: string, body: unknown) => todo('new', body as Partial<Todo>));
      setup();
      const input = await screen.findByLabelText('New todo');
      fireEvent.change(input, { target: { value: 'Standup' } });
      fill();
      fireEvent.submit(input.closest('form') as HTMLFormElement);
      await waitFor(() => expect(api.post).toHaveBeenCalled());
      return jest.mocked(api.post).mock.calls[0][1];
    };
    const openPicker = () => fireEvent.click(quickAdd().getByRole('button', { name: /^Repeat:/ }));
    const dueOn = (date: string) => fireEvent.change(quickAdd().getByLabelText('Due date'), { target: { value: date } });

    it('is disabled with a hint while there is no due date, and sends no rule', async () => {
      const body = await add(() => {
        const toggle = quickAdd().getByRole('button', { name: /^Repeat:/ });
        expect((toggle as HTMLButtonElement).disabled).toBe(true);
        expect(toggle.getAttribute('aria-describedby')).toBeTruthy();
        expect(quickAdd().getByText('Set a due date to repeat')).toBeTruthy();
        expect(quickAdd().getByRole('group', { name: 'Repeat' })).toBeTruthy();
      });
      expect(body).toEqual({ text: 'Standup', priority: 'medium' });
    });

    it('sends Weekly on the chosen days, ending after N times', async () => {
      const body = await add(() => {
        dueOn('2026-12-07'); // a Monday
        openPicker();
        expect(
          quickAdd()
            .getByRole('button', { name: /^Repeat:/ })
            .getAttribute('aria-expanded'),
        ).toBe('true');
        fireEvent.change(quickAdd().getByLabelText('How often'), { target: { value: 'weekly' } });
        // The due date's day is ticked to start with.
        expect((quickAdd().getByLabelText('Monday') as HTMLInputElement).checked).toBe(true);
        fireEvent.click(quickAdd().getByLabelText('Thursday'));
        fireEvent.change(quickAdd().getByLabelText('Ends'), { target: { value: 'count' } });
        fireEvent.change(quickAdd().getByLabelText('Times'), { target: { value: '6' } });
        expect(quickAdd().getByRole('button', { name: /^Repeat:/ }).textContent).toContain('Every week on Monday and Thursday, 6 times');
      });
      expect(body).toEqual({
        text: 'Standup',
        priority: 'medium',
        dueDate: '2026-12-07',
        allDay: true,
        recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=6',
      });
    });

    it.each([
      ['daily', {}, 'FREQ=DAILY'],
      ['weekdays', {}, 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
      ['monthly', {}, 'FREQ=MONTHLY;BYMONTHDAY=7'],
      ['monthly', { On: 'last' }, 'FREQ=MONTHLY;BYMONTHDAY=-1'],
      ['yearly', { Ends: 'until', 'Last date': '2030-12-07' }, 'FREQ=YEARLY;UNTIL=20301207'],
      ['custom', { Every: '3', Unit: 'MONTHLY' }, 'FREQ=MONTHLY;INTERVAL=3'],
    ])('sends %s %j as %s', async (kind, fields, rule) => {
      const body = await add(() => {
        dueOn('2026-12-07');
        openPicker();
        fireEvent.change(quickAdd().getByLabelText('How often'), { target: { value: kind } });
        for (const [label, value] of Object.entries(fields)) fireEvent.change(quickAdd().getByLabelText(label), { target: { value } });
      });
      expect(body).toMatchObject({ recurrence: rule });
    });

    it('ends a timed todo at the end of its last day', async () => {
      const body = await add(() => {
        dueOn('2026-12-07');
        fireEvent.click(quickAdd().getByLabelText('All day'));
        openPicker();
        fireEvent.change(quickAdd().getByLabelText('How often'), { target: { value: 'daily' } });
        fireEvent.change(quickAdd().getByLabelText('Ends'), { target: { value: 'until' } });
        fireEvent.change(quickAdd().getByLabelText('Last date'), { target: { value: '2026-12-11' } });
      });
      expect(body).toMatchObject({ allDay: false, recurrence: 'FREQ=DAILY;UNTIL=20261211T235959' });
    });

    it('Escape closes the panel, not the form', async () => {
      setup();
      await screen.findByLabelText('New todo');
      dueOn('2026-12-07');
      openPicker();
      fireEvent.keyDown(quickAdd().getByLabelText('How often'), { key: 'Escape' });
      expect(quickAdd().queryByLabelText('How often')).toBeNull();
    });

    it('shows the server’s reason for a bad rule', async () => {
      jest.mocked(api.post).mockRejectedValue(
        new ApiError(400, {
          statusCode: 400,
          error: 'Bad Request',
          message: ['recurrence must be an RRULE such as FREQ=WEEKLY;BYDAY=MO: COUNT has a bad value'],
          code: 'VALIDATION_FAILED',
        }),
      );
      setup();
      const input = await screen.findByLabelText('New todo');
      fireEvent.change(input, { target: { value: 'Standup' } });
      dueOn('2026-12-07');
      openPicker();
      fireEvent.change(quickAdd().getByLabelText('How often'), { target: { value: 'daily' } });
      fireEvent.submit(input.closest('form') as HTMLFormElement);
      expect((await screen.findByRole('alert')).textContent).toContain('COUNT has a bad value');
    });
  });

  describe('in the edit view', () => {
    const recurring = () => todo('1', { dueDate: '2026-12-07T14:00:00.000Z', allDay: false, recurrence: 'FREQ=WEEKLY;BYDAY=MO' });
    const edit = async () => {
      setup();
      await screen.findByText('Todo 1');
      fireEvent.click(screen.getByRole('button', { name: 'Edit “Todo 1”' }));
      return within(screen.getByRole('form', { name: 'Edit “Todo 1”' }));
    };

    it('shows the chip with the rule on the row', async () => {
      topLevel = [recurring()];
      setup();
      const row = (await screen.findByText('Todo 1')).closest('li') as HTMLElement;
      expect(within(row).getByText('Every week on Monday')).toBeTruthy();
    });

    it('reads the rule into the picker, sends only a changed rule, and null to stop repeating', async () => {
      topLevel = [recurring()];
      jest.mocked(api.patch).mockImplementation(async () => todo('1', { version: 2 }));
      const form = await edit();
      expect(form.getByRole('button', { name: /^Repeat:/ }).textContent).toContain('Every week on Monday');
      fireEvent.click(form.getByRole('button', { name: /^Repeat:/ }));
      expect((form.getByLabelText('How often') as HTMLSelectElement).value).toBe('weekly');
      fireEvent.change(form.getByLabelText('How often'), { target: { value: 'none' } });
      fireEvent.submit(screen.getByRole('form', { name: 'Edit “Todo 1”' }));
      await waitFor(() => expect(api.patch).toHaveBeenCalledWith('/api/todos/1', { recurrence: null, version: 1 }));
    });

    it('keeps a rule it cannot show (sends nothing for it)', async () => {
      topLevel = [todo('1', { dueDate: '2026-12-08T00:00:00.000Z', allDay: true, recurrence: 'FREQ=MONTHLY;BYDAY=2TU' })];
      jest.mocked(api.patch).mockImplementation(async () => todo('1', { version: 2 }));
      const form = await edit();
      expect(form.getByRole('button', { name: /^Repeat:/ }).textContent).toContain('Every month on the second Tuesday');
      fireEvent.change(form.getByLabelText('Text'), { target: { value: 'Book club' } });
      fireEvent.submit(screen.getByRole('form', { name: 'Edit “Todo 1”' }));
      await waitFor(() => expect(api.patch).toHaveBeenCalledWith('/api/todos/1', { text: 'Book club', version: 1 }));
    });

    it('lists past completions newest first, with Show more', async () => {
      topLevel = [recurring()];
      completions = async (cursor) =>
        cursor
          ? { items: [completion('c1', 16)], nextCursor: null }
          : { items: [completion('c3', 30), completion('c2', 23)], nextCursor: 'next' };
      const form = await edit();
      const history = within(await form.findByRole('region', { name: 'Completed before' }));
      await waitFor(() => expect(history.getAllByRole('listitem')).toHaveLength(2));
      expect(history.getAllByRole('listitem')[0].textContent).toContain('Nov 30');
      fireEvent.click(history.getByRole('button', { name: 'Show more' }));
      await waitFor(() => expect(history.getAllByRole('listitem')).toHaveLength(3));
      expect(history.getAllByRole('listitem')[2].textContent).toContain('Nov 16');
      expect(history.queryByRole('button', { name: 'Show more' })).toBeNull();
      expect(jest.mocked(api.get)).toHaveBeenCalledWith(
        '/api/todos/1/completions',
        expect.objectContaining({ query: { limit: 10, cursor: 'next' } }),
      );
    });

    it('says so when there are no completions yet, and offers Try again on an error', async () => {
      topLevel = [recurring()];
      let fail = true;
      completions = async () => {
        if (fail) throw new Error('boom');
        return { items: [], nextCursor: null };
      };
      const form = await edit();
      fail = false;
      fireEvent.click(await form.findByRole('button', { name: 'Try again' }));
      expect(await form.findByText('Not completed yet.')).toBeTruthy();
    });
  });

  it('completing a recurring todo tells when it is due next, in the user’s zone', async () => {
    topLevel = [todo('1', { dueDate: '2026-12-07T14:00:00.000Z', allDay: false, recurrence: 'FREQ=WEEKLY;BYDAY=MO' })];
    jest.mocked(api.patch).mockImplementation(async () => {
      topLevel = [todo('1', { dueDate: '2026-12-14T14:00:00.000Z', allDay: false, recurrence: 'FREQ=WEEKLY;BYDAY=MO', version: 2 })];
      return topLevel[0];
    });
    setup();
    await screen.findByText('Todo 1');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Todo 1' }));
    await waitFor(() => expect(api.patch).toHaveBeenCalledWith('/api/todos/1', { completed: true }));
    // 14:00Z is 9:00 in New York.
    expect(await screen.findByText(/^Next: Mon, Dec 14(, 2026)?, 9:00 AM$/)).toBeTruthy();
    await waitFor(() => expect((screen.getByRole('checkbox', { name: 'Todo 1' }) as HTMLInputElement).checked).toBe(false));
  });
});
