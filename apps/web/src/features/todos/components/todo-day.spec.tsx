import type { Page, Todo, TodoList } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';

import { Toaster } from '../../../components/toaster';
import type * as ApiClient from '../../../lib/api-client';
import { api, ApiError } from '../../../lib/api-client';
import { preferences } from '../../../lib/preferences';
import { addDays, zonedDate } from '../../../lib/zoned-time';
import { EMPTY_TODO_STATS, todoFixture } from '../testing/todo-fixtures';
import { TodosPage } from './todos-page';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn(), patch: jest.fn(), delete: jest.fn() },
}));

const ZONE = 'America/New_York';
const todo = todoFixture;
const STATS = EMPTY_TODO_STATS;
const page = (items: Todo[]): Page<Todo> => ({ items, nextCursor: null });
type Query = Record<string, unknown> | undefined;

let topLevel: Todo[];
let subtasks: Record<string, Todo[]>;

function setup(path = '/todos') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/todos" element={<TodosPage />} />
        </Routes>
      </MemoryRouter>
      <Toaster />
    </QueryClientProvider>,
  );
  return client;
}

const todosCalls = () =>
  jest
    .mocked(api.get)
    .mock.calls.filter(([path]) => path === '/api/todos')
    .map(([, options]) => (options as { query?: Query } | undefined)?.query);

describe('todos that run a day', () => {
  beforeEach(() => {
    preferences.set({ timeZone: ZONE, locale: 'en-US' });
    topLevel = [todo('1')];
    subtasks = {};
    jest
      .mocked(api.get)
      .mockReset()
      .mockImplementation(async (path: string, options?: { query?: Query }) => {
        if (path === '/api/lists') return { items: [] as TodoList[] };
        if (path === '/api/todos/stats') return STATS;
        const parentId = options?.query?.['parentId'];
        return page(parentId ? (subtasks[String(parentId)] ?? []) : topLevel);
      });
    jest.mocked(api.post).mockReset();
    jest.mocked(api.patch).mockReset();
    jest.mocked(api.delete).mockReset();
  });
  afterEach(cleanup);

  describe('the quick-add form', () => {
    const add = async (fill: () => void) => {
      jest.mocked(api.post).mockImplementation(async (_path: string, body: unknown) => todo('new', body as Partial<Todo>));
      setup();
      const input = await screen.findByLabelText('New todo');
      fireEvent.change(input, { target: { value: 'Dentist' } });
      fill();
      fireEvent.submit(input.closest('form') as HTMLFormElement);
      await waitFor(() => expect(api.post).toHaveBeenCalled());
      return jest.mocked(api.post).mock.calls[0];
    };
    const quickAdd = () => within(document.querySelector('form.quick-add') as HTMLElement);

    it('sends no due date when none is picked', async () => {
      const [path, body] = await add(() => undefined);
      expect(path).toBe('/api/todos');
      expect(body).toEqual({ text: 'Dentist', priority: 'medium' });
    });

    it('sends a date alone as YYYY-MM-DD with allDay true (All day is the default)', async () => {
      const [, body] = await add(() => {
        expect((quickAdd().getByLabelText('All day') as HTMLInputElement).checked).toBe(true);
        expect(quickAdd().queryByLabelText('Time')).toBeNull();
        fireEvent.change(quickAdd().getByLabelText('Due date'), { target: { value: '2026-12-04' } });
      });
      expect(body).toEqual({ text: 'Dentist', priority: 'medium', dueDate: '2026-12-04', allDay: true });
    });

    it('sends a time as the instant of that local time in the user’s zone, allDay false', async () => {
      const [, body] = await add(() => {
        fireEvent.change(quickAdd().getByLabelText('Due date'), { target: { value: '2026-12-04' } });
        fireEvent.click(quickAdd().getByLabelText('All day'));
        const time = quickAdd().getByLabelText('Time') as HTMLInputElement;
        // Offered at once; the zone is named beside it.
        expect(time.value).toBe('09:00');
        expect(quickAdd().getByText('America/New York')).toBeTruthy();
        fireEvent.change(time, { target: { value: '14:30' } });
      });
      // 14:30 EST = 19:30Z.
      expect(body).toEqual({ text: 'Dentist', priority: 'medium', dueDate: '2026-12-04T19:30:00.000Z', allDay: false });
    });
  });

  it('the inline edit sends a new time with allDay false and the version, and shows it in the zone', async () => {
    topLevel = [todo('1', { dueDate: '2026-12-04T00:00:00.000Z', allDay: true })];
    jest.mocked(api.patch).mockImplementation(async (_path: string, body: unknown) => {
      const { version: _v, ...fields } = body as Partial<Todo>;
      topLevel = [todo('1', { ...fields, version: 2 })];
      return topLevel[0];
    });
    setup();
    const row = await screen.findByText('Todo 1');
    expect(row.closest('li')?.querySelector('time')?.textContent).toMatch(/^\w{3}, Dec 4(, 2026)?$/);
    fireEvent.click(screen.getByRole('button', { name: 'Edit “Todo 1”' }));
    const edit = within(screen.getByRole('form', { name: 'Edit “Todo 1”' }));
    expect((edit.getByLabelText('Due date') as HTMLInputElement).value).toBe('2026-12-04');
    fireEvent.click(edit.getByLabelText('All day'));
    fireEvent.change(edit.getByLabelText('Time'), { target: { value: '08:15' } });
    fireEvent.submit(screen.getByRole('form', { name: 'Edit “Todo 1”' }));
    await waitFor(() =>
      expect(api.patch).toHaveBeenCalledWith('/api/todos/1', { dueDate: '2026-12-04T13:15:00.000Z', allDay: false, version: 1 }),
    );
    await waitFor(() => expect(screen.getByText('Todo 1').closest('li')?.querySelector('time')?.textContent).toMatch(/8:15 AM$/));
  });

  it('All: open todos in sections by due day in the user’s zone', async () => {
    const today = zonedDate(Date.now(), ZONE);
    topLevel = [
      todo('1', { dueDate: `${addDays(today, -1)}T00:00:00.000Z`, allDay: true }),
      todo('2', { dueDate: `${today}T00:00:00.000Z`, allDay: true }),
      todo('3', { dueDate: `${addDays(today, 3)}T00:00:00.000Z`, allDay: true }),
      todo('4', { dueDate: `${addDays(today, 30)}T00:00:00.000Z`, allDay: true }),
      todo('5'),
      todo('6', { completed: true }),
    ];
    setup();
    await screen.findByText('Todo 1');
    const sections = screen.getAllByRole('region').filter((r) => r.classList.contains('todo-section'));
    expect(sections.map((s) => [within(s).getByRole('heading').textContent, within(s).getAllByRole('listitem').length])).toEqual([
      ['Overdue 1', 1],
      ['Today 1', 1],
      ['Upcoming 1', 1],
      ['Later 1', 1],
      ['No date 1', 1],
      ['Completed 1', 1],
    ]);
    expect(screen.getByText('Todo 1').closest('li')?.className).toContain('is-overdue');
  });

  it('Today and Upcoming ask the server for its view, and say when there is nothing', async () => {
    setup();
    await screen.findByText('Todo 1');
    topLevel = [];
    fireEvent.click(within(screen.getByRole('group', { name: 'View' })).getByRole('button', { name: 'Today' }));
    expect(await screen.findByText('Nothing due today, nothing overdue')).toBeTruthy();
    expect(todosCalls().at(-1)).toMatchObject({ view: 'today' });
    expect(screen.queryByRole('group', { name: 'Show' })).toBeNull();
    fireEvent.click(within(screen.getByRole('group', { name: 'View' })).getByRole('button', { name: 'Upcoming' }));
    expect(await screen.findByText('Nothing due in the next 7 days')).toBeTruthy();
    expect(todosCalls().at(-1)).toMatchObject({ view: 'upcoming' });
  });

  it('a view that fails says so, with a retry', async () => {
    let fail = true;
    const base = jest.mocked(api.get).getMockImplementation();
    jest.mocked(api.get).mockImplementation(async (path: string, options?: Parameters<typeof api.get>[1]) => {
      if (path === '/api/todos' && fail)
        throw new ApiError(503, { code: 'SERVICE_UNAVAILABLE', message: 'The todos service is not answering' });
      return base?.(path, options);
    });
    setup('/todos?view=today');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Todos could not be loaded');
    fail = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Todo 1')).toBeTruthy();
  });

  it('subtasks: the chip, the list, adding one inline; a subtask has no subtasks of its own', async () => {
    topLevel = [todo('1', { subtasks: { total: 2, completed: 1 } })];
    subtasks = { '1': [todo('s1', { parentId: '1', completed: true }), todo('s2', { parentId: '1' })] };
    jest.mocked(api.post).mockImplementation(async (_path: string, body: unknown) => {
      const created = todo('s3', { ...(body as Partial<Todo>) });
      subtasks['1'] = [...subtasks['1'], created];
      topLevel = [todo('1', { subtasks: { total: 3, completed: 1 } })];
      return created;
    });
    setup();
    const toggle = await screen.findByRole('button', { name: 'Subtasks of “Todo 1”: 1 of 2 done' });
    expect(toggle.textContent).toBe('1/2');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    const panel = await screen.findByRole('region', { name: 'Subtasks of “Todo 1”' });
    await within(panel).findByText('Todo s2');
    expect(todosCalls()).toContainEqual(expect.objectContaining({ parentId: '1', order: 'manual' }));
    expect(within(panel).queryByRole('button', { name: /^Subtasks of/ })).toBeNull();
    expect(within(panel).getByRole('button', { name: 'Move “Todo s2”' })).toBeTruthy();

    fireEvent.change(within(panel).getByLabelText('New subtask of “Todo 1”'), { target: { value: ' Floss ' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Add subtask' }));
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/todos', { text: 'Floss', parentId: '1' }));
    expect(await within(panel).findByText('Floss')).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Subtasks of “Todo 1”: 1 of 3 done' })).toBeTruthy();
  });

  describe('My order', () => {
    // jsdom lays nothing out: each row is 40 px tall, one under the other, so dnd-kit's keyboard sensor can find the next one.
    let rect: jest.SpyInstance;
    beforeEach(() => {
      rect = jest.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
        const li = this.closest('li[data-todo-id]');
        const index = li ? Array.from(li.parentElement?.children ?? []).indexOf(li) : 0;
        const top = index * 40;
        return { x: 0, y: top, top, left: 0, width: 600, height: 40, right: 600, bottom: top + 40, toJSON: () => ({}) } as DOMRect;
      });
    });
    afterEach(() => rect.mockRestore());

    const liveRegion = () => document.querySelector('[id^="DndLiveRegion"]')?.textContent;
    const order = () =>
      Array.from(document.querySelectorAll('ul.is-sortable > li[data-todo-id]')).map((li) => li.getAttribute('data-todo-id'));

    async function keyboardMove(id: string, steps: number) {
      const handle = screen.getByRole('button', { name: `Move “Todo ${id}”` });
      handle.focus();
      fireEvent.keyDown(handle, { key: ' ', code: 'Space' });
      await act(async () => new Promise((r) => setTimeout(r, 0)));
      expect(liveRegion()).toMatch(new RegExp(`^Picked up “Todo ${id}”, position \\d of \\d\\.$`));
      for (let i = 0; i < steps; i++) {
        fireEvent.keyDown(document.activeElement ?? handle, { key: 'ArrowDown', code: 'ArrowDown' });
        await act(async () => new Promise((r) => setTimeout(r, 0)));
      }
      fireEvent.keyDown(document.activeElement ?? handle, { key: ' ', code: 'Space' });
      await act(async () => new Promise((r) => setTimeout(r, 0)));
    }

    it('orders by position (order=manual); a keyboard move posts the new neighbours and shows at once', async () => {
      topLevel = [todo('a'), todo('b'), todo('c')];
      let answer: (t: Todo) => void = () => undefined;
      jest.mocked(api.post).mockImplementation(() => new Promise((resolve) => (answer = resolve as (t: Todo) => void)));
      setup('/todos?order=manual');
      await screen.findByText('Todo a');
      expect(todosCalls().at(-1)).toMatchObject({ order: 'manual' });
      expect(screen.getByRole('button', { name: 'Move “Todo a”' }).getAttribute('aria-roledescription')).toBe('sortable');

      await keyboardMove('a', 1);
      await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/todos/a/move', { after: 'b', before: 'c' }));
      expect(liveRegion()).toBe('“Todo a” dropped at position 2 of 3.');
      // Optimistic: the new order before the server answers.
      expect(order()).toEqual(['b', 'a', 'c']);
      topLevel = [todo('b'), todo('a', { position: 'b5', version: 2 }), todo('c')];
      await act(async () => answer(todo('a', { position: 'b5', version: 2 })));
      await waitFor(() => expect(order()).toEqual(['b', 'a', 'c']));
    });

    it('puts the order back and says why when the move is refused', async () => {
      topLevel = [todo('a'), todo('b'), todo('c')];
      jest.mocked(api.post).mockRejectedValue(new ApiError(404, { code: 'TODO_NOT_FOUND', message: 'Todo not found' }));
      setup('/todos?order=manual');
      await screen.findByText('Todo a');
      await keyboardMove('a', 2);
      await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/todos/a/move', { after: 'c' }));
      expect((await screen.findByRole('alert')).textContent).toContain('“Todo a” was not moved: Todo not found');
      await waitFor(() => expect(order()).toEqual(['a', 'b', 'c']));
    });
  });
});
