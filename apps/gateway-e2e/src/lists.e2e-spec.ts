// Shared todo lists: invitations, what every role may do with the list and its todos (BOLA for each role), live events.
import type { Invitation, MembersResponse, Todo, TodoList } from '@micronote/contracts';

import { api, expectError, register } from './support/api';
import type { Tab } from './support/realtime';
import { connect, waitUntil } from './support/realtime';

type User = Awaited<ReturnType<typeof register>>;

const as = (user: User) => ({ token: user.accessToken });

async function newList(owner: User, name = 'Groceries'): Promise<TodoList> {
  const created = await api<TodoList>('POST', '/api/lists', { ...as(owner), body: { name } });
  expect(created.status).toBe(201);
  return created.body;
}

const invite = (owner: User, listId: string, who: User, role: 'viewer' | 'editor') =>
  api('POST', `/api/lists/${listId}/members`, { ...as(owner), body: { user: who.credentials.username, role } });

async function share(owner: User, listId: string, who: User, role: 'viewer' | 'editor'): Promise<void> {
  expect((await invite(owner, listId, who, role)).status).toBe(201);
  expect((await api('POST', `/api/lists/${listId}/members/me/accept`, as(who))).status).toBe(200);
}

async function addTodo(user: User, listId: string, text: string) {
  return api<Todo>('POST', '/api/todos', { ...as(user), body: { text, listId } });
}

const todosOf = async (user: User, listId: string) => api<{ items: Todo[] }>('GET', `/api/todos?listId=${listId}`, as(user));

describe('shared todo lists', () => {
  let owner: User;
  let editor: User;
  let viewer: User;
  let pending: User;
  let stranger: User;
  let list: TodoList;
  let todo: Todo;

  beforeAll(async () => {
    [owner, editor, viewer, pending, stranger] = await Promise.all([register(), register(), register(), register(), register()]);
    list = await newList(owner);
    await share(owner, list.id, editor, 'editor');
    await share(owner, list.id, viewer, 'viewer');
    expect((await invite(owner, list.id, pending, 'editor')).status).toBe(201);
    const added = await addTodo(owner, list.id, 'Milk');
    expect(added.status).toBe(201);
    todo = added.body;
  });

  it('answers each member the list with their role and the owner by name; the owner lists members', async () => {
    expect(list).toMatchObject({ name: 'Groceries', role: 'owner', members: 0, open: 0, owner: { id: owner.user.id } });
    for (const [user, role] of [
      [owner, 'owner'],
      [editor, 'editor'],
      [viewer, 'viewer'],
    ] as const) {
      const read = await api<TodoList>('GET', `/api/lists/${list.id}`, as(user));
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        id: list.id,
        role,
        members: 2,
        open: 1,
        owner: { id: owner.user.id, username: owner.credentials.username },
      });
      const mine = await api<{ items: TodoList[] }>('GET', '/api/lists', as(user));
      expect(mine.body.items.map((l) => [l.id, l.role])).toContainEqual([list.id, role]);
    }
    const members = await api<MembersResponse>('GET', `/api/lists/${list.id}/members`, as(editor));
    expect(members.status).toBe(200);
    expect(members.body.owner.id).toBe(owner.user.id);
    expect(members.body.items.map((m) => [m.user.id, m.role, m.status])).toEqual([
      [editor.user.id, 'editor', 'accepted'],
      [viewer.user.id, 'viewer', 'accepted'],
      [pending.user.id, 'editor', 'pending'],
    ]);
    expect(JSON.stringify(members.body)).not.toContain('@');
  });

  it('a pending invitee sees the invitation and nothing else; a stranger gets 404 for every route', async () => {
    const invitations = await api<{ items: Invitation[] }>('GET', '/api/shared/invitations', as(pending));
    expect(invitations.body.items).toContainEqual(
      expect.objectContaining({
        kind: 'list',
        id: list.id,
        title: 'Groceries',
        role: 'editor',
        owner: expect.objectContaining({ id: owner.user.id }),
      }),
    );
    for (const user of [pending, stranger]) {
      expectError(await api('GET', `/api/lists/${list.id}`, as(user)), 404);
      expectError(await todosOf(user, list.id), 404);
      expectError(await addTodo(user, list.id, 'sneak'), 404);
      expectError(await api('GET', `/api/lists/${list.id}/members`, as(user)), 404);
      expectError(await api('PATCH', `/api/lists/${list.id}`, { ...as(user), body: { name: 'Mine now' } }), 404);
      expectError(await api('DELETE', `/api/lists/${list.id}`, as(user)), 404);
      expectError(await api('PATCH', `/api/todos/${todo.id}`, { ...as(user), body: { completed: true } }), 404);
      expectError(await api('DELETE', `/api/todos/${todo.id}`, as(user)), 404);
      const lists = await api<{ items: TodoList[] }>('GET', '/api/lists', as(user));
      expect(lists.body.items.map((l) => l.id)).not.toContain(list.id);
    }
    expectError(await api('POST', `/api/lists/${list.id}/members/me/accept`, as(stranger)), 404);
    expectError(await invite(stranger, list.id, editor, 'viewer'), 404);
  });

  it('an editor adds, edits and completes the list’s todos; a viewer reads them and gets 403 for every write', async () => {
    const added = await addTodo(editor, list.id, 'Eggs');
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ listId: list.id, text: 'Eggs' });
    const done = await api<Todo>('PATCH', `/api/todos/${added.body.id}`, { ...as(editor), body: { completed: true } });
    expect(done.status).toBe(200);
    expect(done.body.completed).toBe(true);
    for (const user of [owner, editor, viewer]) {
      const page = await todosOf(user, list.id);
      expect(page.status).toBe(200);
      expect(page.body.items.map((t) => t.text).sort()).toEqual(['Eggs', 'Milk']);
    }
    // The list's todos are the owner's: not in the members' own todo lists.
    expect((await api<{ items: Todo[] }>('GET', '/api/todos', as(editor))).body.items.map((t) => t.id)).not.toContain(added.body.id);
    expectError(await addTodo(viewer, list.id, 'nope'), 403);
    expectError(await api('PATCH', `/api/todos/${todo.id}`, { ...as(viewer), body: { completed: true } }), 403);
    expectError(await api('DELETE', `/api/todos/${todo.id}`, as(viewer)), 403);
    // Owner-only actions refuse members with 403.
    for (const member of [editor, viewer]) {
      expectError(await api('PATCH', `/api/lists/${list.id}`, { ...as(member), body: { name: 'Renamed' } }), 403);
      expectError(await api('DELETE', `/api/lists/${list.id}`, as(member)), 403);
      expectError(await invite(member, list.id, stranger, 'viewer'), 403);
      expectError(await api('PATCH', `/api/lists/${list.id}/members/${viewer.user.id}`, { ...as(member), body: { role: 'editor' } }), 403);
    }
    expect((await api<Todo>('GET', `/api/lists/${list.id}`, as(owner))).body).toMatchObject({ open: 1 });
  });

  it('bad input is a 400 with a message', async () => {
    expectError(await api('POST', '/api/lists', { ...as(owner), body: { name: '   ' } }), 400);
    expectError(await api('POST', '/api/lists', { ...as(owner), body: { name: 'x'.repeat(101) } }), 400);
    expectError(await api('POST', '/api/lists', { ...as(owner), body: {} }), 400);
    expectError(await api('GET', '/api/lists/abc', as(owner)), 400);
    expectError(
      await api('POST', `/api/lists/${list.id}/members`, { ...as(owner), body: { user: editor.credentials.username, role: 'admin' } }),
      400,
    );
    expectError(
      await api('POST', `/api/lists/${list.id}/members`, { ...as(owner), body: { user: owner.credentials.username, role: 'viewer' } }),
      400,
    );
    expectError(
      await api('POST', `/api/lists/${list.id}/members`, { ...as(owner), body: { user: 'nobody-by-that-name', role: 'viewer' } }),
      404,
    );
    expectError(await invite(owner, list.id, editor, 'viewer'), 409);
    expectError(await api('POST', '/api/todos', { ...as(owner), body: { text: 'x', listId: 'not-an-id' } }), 400);
    expectError(await addTodo(owner, '999999999', 'x'), 404);
  });

  it('live: a todo completed by one member reaches the owner and the other members; removal ends access at once', async () => {
    const tabs: Tab[] = await Promise.all([connect(owner.accessToken), connect(viewer.accessToken), connect(editor.accessToken)]);
    const [ownerTab, viewerTab, editorTab] = tabs;
    try {
      const completed = await api<Todo>('PATCH', `/api/todos/${todo.id}`, { ...as(editor), body: { completed: true } });
      expect(completed.status).toBe(200);
      const seen = (tab: Tab) => tab.events.some((e) => e.type === 'TODO_COMPLETED' && e.todo?.id === todo.id);
      await waitUntil(() => seen(ownerTab) && seen(viewerTab) && seen(editorTab));

      expect((await api('DELETE', `/api/lists/${list.id}/members/${viewer.user.id}`, as(owner))).status).toBe(204);
      await waitUntil(() => viewerTab.events.some((e) => e.type === 'TODO_LIST_UPDATED' && e.member?.role === null));
      expectError(await todosOf(viewer, list.id), 404);
      // A member leaves on their own.
      expect((await api('DELETE', `/api/lists/${list.id}/members/me`, as(editor))).status).toBe(204);
      expectError(await api('GET', `/api/lists/${list.id}`, as(editor)), 404);
    } finally {
      tabs.forEach((tab) => tab.close());
    }
  });

  it('deleting a list deletes its todos and tells its members', async () => {
    const other = await newList(owner, 'Trip');
    await share(owner, other.id, stranger, 'editor');
    const strangerTab = await connect(stranger.accessToken);
    try {
      const added = await addTodo(stranger, other.id, 'Passport');
      expect(added.status).toBe(201);
      expect((await api('DELETE', `/api/lists/${other.id}`, as(owner))).status).toBe(204);
      await waitUntil(() => strangerTab.events.some((e) => e.type === 'TODO_LIST_DELETED' && e.listId === other.id));
      expectError(await api('GET', `/api/todos/${added.body.id}`, as(owner)), 404);
      expectError(await api('GET', `/api/lists/${other.id}`, as(owner)), 404);
    } finally {
      strangerTab.close();
    }
  });
});
