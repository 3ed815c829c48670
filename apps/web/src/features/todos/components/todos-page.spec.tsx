import type { Member, Todo, TodoList } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';

import type * as ApiClient from '../../../lib/api-client';
import { api, ApiError } from '../../../lib/api-client';
import { EMPTY_TODO_STATS, todoFixture } from '../testing/todo-fixtures';
import { TodosPage } from './todos-page';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn(), patch: jest.fn(), delete: jest.fn() },
}));

const ANN = { id: '1', username: 'ann', displayName: 'Ann' };
const list = (id: string, patch: Partial<TodoList> = {}): TodoList => ({
  id,
  name: `List ${id}`,
  role: 'owner',
  owner: ANN,
  members: 0,
  open: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...patch,
});
const todo = (id: string, listId: string | null, patch: Partial<Todo> = {}): Todo => todoFixture(id, { listId, ...patch });
const STATS = EMPTY_TODO_STATS;
const LISTS = [
  list('5', { name: 'Groceries' }),
  list('6', { name: 'Bob’s trip', role: 'viewer', owner: { id: '2', username: 'bob', displayName: null } }),
];

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

function setup(path = '/todos') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/todos" element={<TodosPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe(TodosPage.name, () => {
  let lists: TodoList[];
  beforeEach(() => {
    lists = LISTS;
    jest
      .mocked(api.get)
      .mockReset()
      .mockImplementation(async (path: string, options?: { query?: Record<string, unknown> }) => {
        if (path === '/api/lists') return { items: lists };
        if (path === '/api/todos/stats') return STATS;
        const listId = options?.query?.['listId'];
        return { items: listId ? [todo(`in${String(listId)}`, String(listId))] : [todo('1', null)], nextCursor: null };
      });
    jest.mocked(api.post).mockReset();
    jest.mocked(api.patch).mockReset();
    jest.mocked(api.delete).mockReset();
  });
  afterEach(cleanup);

  it('picks a list: its todos, its header, and quick add into it', async () => {
    setup();
    const picker = await screen.findByRole('navigation', { name: 'Todo lists' });
    fireEvent.click(await within(picker).findByRole('button', { name: /Groceries/ }));
    expect(await screen.findByRole('heading', { name: 'Groceries' })).toBeTruthy();
    expect(await screen.findByText('Todo in5')).toBeTruthy();
    expect(api.get).toHaveBeenCalledWith('/api/todos', expect.objectContaining({ query: expect.objectContaining({ listId: '5' }) }));

    jest.mocked(api.post).mockResolvedValue(todo('new', '5'));
    const input = screen.getByLabelText('New todo');
    expect(input.getAttribute('placeholder')).toBe('Add a todo to “Groceries”…');
    fireEvent.change(input, { target: { value: 'Milk' } });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/todos', expect.objectContaining({ text: 'Milk', listId: '5' })));
  });

  it('creates a list from the picker (Enter) and opens it', async () => {
    jest.mocked(api.post).mockImplementation(async () => {
      lists = [...LISTS, list('7', { name: 'Work' })];
      return list('7', { name: 'Work' });
    });
    setup();
    const input = await screen.findByLabelText('New list name');
    fireEvent.change(input, { target: { value: ' Work ' } });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/lists', { name: 'Work' }));
    expect(await screen.findByRole('heading', { name: 'Work' })).toBeTruthy();
  });

  it('shows a list shared as viewer read-only: no quick add, no edit, no tick', async () => {
    setup('/todos?list=6');
    expect(await screen.findByRole('heading', { name: 'Bob’s trip' })).toBeTruthy();
    expect(screen.getByText(/bob’s list · you can view/)).toBeTruthy();
    await screen.findByText('Todo in6');
    expect(screen.queryByLabelText('New todo')).toBeNull();
    expect((screen.getByRole('checkbox', { name: 'Todo in6' }) as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: /Edit/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Rename list' })).toBeNull();
    expect(screen.getByRole('button', { name: 'People' })).toBeTruthy();
  });

  it('says so when the list in the URL is not (or no longer) yours to see', async () => {
    setup('/todos?list=99');
    expect(await screen.findByText('This list does not exist or is not shared with you')).toBeTruthy();
  });

  it('says while the lists load, when they fail (with a retry), and when there are none yet', async () => {
    let fail = true;
    let release: () => void = () => undefined;
    const base = jest.mocked(api.get).getMockImplementation();
    jest.mocked(api.get).mockImplementation(async (path: string, options?: Parameters<typeof api.get>[1]) => {
      if (path !== '/api/lists') return base?.(path, options);
      await new Promise<void>((resolve) => (release = resolve));
      if (fail) throw new ApiError(503, { code: 'SERVICE_UNAVAILABLE', message: 'The todos service is not answering' });
      return { items: [] };
    });
    setup();
    const picker = await screen.findByRole('navigation', { name: 'Todo lists' });
    expect(within(picker).getByRole('status', { name: 'Loading lists' })).toBeTruthy();
    await waitFor(() => release());
    const alert = await within(picker).findByRole('alert');
    expect(alert.textContent).toContain('Lists could not be loaded');
    fail = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => release());
    expect(await within(picker).findByText(/No lists yet/)).toBeTruthy();
    // "All todos" stays, and a list can be made from here.
    expect(within(picker).getByRole('button', { name: 'All todos' }).getAttribute('aria-current')).toBe('page');
    expect(within(picker).getByLabelText('New list name')).toBeTruthy();
  });

  it('renames the open list: Enter saves, Escape cancels, and focus goes back to Rename', async () => {
    jest.mocked(api.patch).mockImplementation(async (_path: string, body: unknown) => {
      lists = [list('5', { name: (body as { name: string }).name }), LISTS[1]];
      return lists[0];
    });
    setup('/todos?list=5');
    expect(await screen.findByRole('heading', { name: 'Groceries' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Rename list' }));
    let input = screen.getByLabelText('List name') as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: 'Nope' } });
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByLabelText('List name')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Rename list' }));
    expect(api.patch).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Rename list' }));
    input = screen.getByLabelText('List name') as HTMLInputElement;
    fireEvent.change(input, { target: { value: ' Food ' } });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    await waitFor(() => expect(api.patch).toHaveBeenCalledWith('/api/lists/5', { name: 'Food' }));
    expect(await screen.findByRole('heading', { name: 'Food' })).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Rename list' })));
  });

  it('says why a rename failed, and keeps the form', async () => {
    jest.mocked(api.patch).mockRejectedValue(new ApiError(400, { code: 'VALIDATION_FAILED', message: 'name must be shorter' }));
    setup('/todos?list=5');
    fireEvent.click(await screen.findByRole('button', { name: 'Rename list' }));
    const input = screen.getByLabelText('List name');
    fireEvent.change(input, { target: { value: 'Food' } });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    expect((await screen.findByRole('alert')).textContent).toContain('Not renamed: name must be shorter');
    expect(screen.getByLabelText('List name')).toBeTruthy();
  });

  it('deletes the open list after a confirmation, then shows all todos', async () => {
    jest.mocked(api.delete).mockImplementation(async () => {
      lists = [LISTS[1]];
    });
    setup('/todos?list=5');
    expect(await screen.findByRole('heading', { name: 'Groceries' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Delete list' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete “Groceries”?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.delete).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Delete list' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Delete “Groceries”?' })).getByRole('button', { name: 'Delete list' }));
    await waitFor(() => expect(api.delete).toHaveBeenCalledWith('/api/lists/5'));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Groceries' })).toBeNull());
    const picker = screen.getByRole('navigation', { name: 'Todo lists' });
    await waitFor(() => expect(within(picker).getByRole('button', { name: 'All todos' }).getAttribute('aria-current')).toBe('page'));
    expect(screen.queryByText('This list does not exist or is not shared with you')).toBeNull();
    await waitFor(() => expect(within(picker).queryByRole('button', { name: /Groceries/ })).toBeNull());
  });

  it('shares the open list: the People dialog lists its members and invites by keyboard', async () => {
    const members: Member[] = [];
    const base = jest.mocked(api.get).getMockImplementation();
    jest
      .mocked(api.get)
      .mockImplementation(async (path: string, options?: Parameters<typeof api.get>[1]) =>
        path === '/api/lists/5/members' ? { owner: ANN, items: [...members] } : base?.(path, options),
      );
    jest.mocked(api.post).mockImplementation(async () => {
      const member: Member = {
        user: { id: '3', username: 'cy', displayName: null },
        role: 'viewer',
        status: 'pending',
        invitedAt: '2026-01-01T00:00:00.000Z',
        acceptedAt: null,
      };
      members.push(member);
      return member;
    });
    setup('/todos?list=5');
    fireEvent.click(await screen.findByRole('button', { name: 'Share' }));
    const dialog = screen.getByRole('dialog', { name: 'Share “Groceries”' });
    expect(await within(dialog).findByText('Only you. Invite someone above.')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Role of the person invited'), { target: { value: 'viewer' } });
    const input = within(dialog).getByLabelText('Invite by username or e-mail');
    fireEvent.change(input, { target: { value: 'cy' } });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/lists/5/members', { user: 'cy', role: 'viewer' }));
    expect(await within(dialog).findByRole('listitem', { name: 'cy' })).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog', { name: 'Share “Groceries”' })).toBeNull();
  });
});
