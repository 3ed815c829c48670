// In-app notifications: "X shared a note/list with you", "X completed a todo in list Y", live and in the list.
import type { AppNotification, NotificationsPage, Todo, TodoList } from '@micronote/contracts';

import { api, expectError, register } from './support/api';
import type { Tab } from './support/realtime';
import { connect, sleep, waitUntil } from './support/realtime';

type User = Awaited<ReturnType<typeof register>>;

const as = (user: User) => ({ token: user.accessToken });
const notificationsOf = async (user: User, query = '') =>
  (await api<NotificationsPage>('GET', `/api/notifications${query}`, as(user))).body;

async function shareList(owner: User, listId: string, who: User, role: 'viewer' | 'editor'): Promise<void> {
  expect((await api('POST', `/api/lists/${listId}/members`, { ...as(owner), body: { user: who.credentials.username, role } })).status).toBe(
    201,
  );
  expect((await api('POST', `/api/lists/${listId}/members/me/accept`, as(who))).status).toBe(200);
}

describe('in-app notifications', () => {
  let alice: User;
  let bob: User;
  let carol: User;
  const tabs: Tab[] = [];
  afterEach(() => tabs.splice(0).forEach((tab) => tab.close()));
  const live = async (user: User) => {
    const tab = await connect(user.accessToken);
    tabs.push(tab);
    return tab;
  };
  const notified = (tab: Tab, kind: string) => tab.events.filter((e) => e.type === 'NOTIFICATION' && e.notification?.kind === kind);

  beforeAll(async () => {
    [alice, bob, carol] = await Promise.all([register(), register(), register()]);
  });

  it('an invitation to a note is a NOTE_SHARED notification, live and in the list, with the actor by name', async () => {
    const bobTab = await live(bob);
    const note = await api('POST', '/api/notes', { ...as(alice), body: { title: 'Trip plan', text: 'x' } });
    const invited = await api('POST', `/api/notes/${note.body.id}/members`, {
      ...as(alice),
      body: { user: bob.credentials.username, role: 'editor' },
    });
    expect(invited.status).toBe(201);
    await waitUntil(() => notified(bobTab, 'NOTE_SHARED').length > 0);
    const [event] = notified(bobTab, 'NOTE_SHARED');
    const expected: Partial<AppNotification> = {
      kind: 'NOTE_SHARED',
      actor: { id: alice.user.id, username: alice.credentials.username, displayName: alice.credentials.name },
      subject: { kind: 'note', id: note.body.id, title: 'Trip plan' },
      readAt: null,
    };
    expect(event.notification).toMatchObject(expected);
    const page = await notificationsOf(bob);
    expect(page.items[0]).toMatchObject({ ...expected, id: event.notification?.id });
    expect(page.unread).toBe(1);
    expect(JSON.stringify(page)).not.toContain('@');
    // Nothing for the actor.
    expect((await notificationsOf(alice)).items).toEqual([]);
  });

  it('a list invitation is LIST_SHARED; a todo completed in the list notifies the owner and the other members once', async () => {
    const list = (await api<TodoList>('POST', '/api/lists', { ...as(alice), body: { name: 'Groceries' } })).body;
    const carolTab = await live(carol);
    await shareList(alice, list.id, bob, 'editor');
    await shareList(alice, list.id, carol, 'viewer');
    await waitUntil(() => notified(carolTab, 'LIST_SHARED').length > 0);
    expect(notified(carolTab, 'LIST_SHARED')[0].notification?.subject).toEqual({ kind: 'list', id: list.id, title: 'Groceries' });

    const todo = (await api<Todo>('POST', '/api/todos', { ...as(alice), body: { text: 'Milk', listId: list.id } })).body;
    const aliceTab = await live(alice);
    const bobTab = await live(bob);
    expect((await api('PATCH', `/api/todos/${todo.id}`, { ...as(bob), body: { completed: true } })).status).toBe(200);
    await waitUntil(() => notified(aliceTab, 'TODO_COMPLETED').length > 0 && notified(carolTab, 'TODO_COMPLETED').length > 0);
    expect(notified(aliceTab, 'TODO_COMPLETED')[0].notification).toMatchObject({
      actor: { id: bob.user.id },
      subject: { kind: 'todo', id: todo.id, title: 'Milk' },
      list: { id: list.id, name: 'Groceries' },
    });
    // The same completion again (a repeated PATCH) is not a second notification; the actor gets none.
    expect((await api('PATCH', `/api/todos/${todo.id}`, { ...as(bob), body: { completed: true } })).status).toBe(200);
    await sleep(300);
    expect(notified(aliceTab, 'TODO_COMPLETED')).toHaveLength(1);
    expect(notified(bobTab, 'TODO_COMPLETED')).toHaveLength(0);
    expect((await notificationsOf(alice)).items.filter((n) => n.kind === 'TODO_COMPLETED')).toHaveLength(1);
  });

  it('pages newest first, marks read by id or all, and refuses bad input with 400', async () => {
    const dave = await register();
    for (let i = 0; i < 3; i++) {
      const note = await api('POST', '/api/notes', { ...as(alice), body: { title: `N${i}`, text: 'x' } });
      await api('POST', `/api/notes/${note.body.id}/members`, { ...as(alice), body: { user: dave.credentials.username, role: 'viewer' } });
    }
    let all: AppNotification[] = [];
    const deadline = Date.now() + 5_000;
    while (all.length < 3 && Date.now() < deadline) all = (await notificationsOf(dave)).items;
    expect(all.map((n) => n.subject.title)).toEqual(['N2', 'N1', 'N0']);
    const first = await notificationsOf(dave, '?limit=2');
    expect(first.items.map((n) => n.subject.title)).toEqual(['N2', 'N1']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await notificationsOf(dave, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((n) => n.subject.title)).toEqual(['N0']);
    expect(second.nextCursor).toBeNull();

    expect((await api('POST', '/api/notifications/read', { ...as(dave), body: { ids: [all[0].id] } })).status).toBe(204);
    expect((await notificationsOf(dave)).unread).toBe(2);
    // Someone else's id marks nothing of theirs.
    expect((await api('POST', '/api/notifications/read', { ...as(alice), body: { ids: [all[1].id] } })).status).toBe(204);
    expect((await notificationsOf(dave)).unread).toBe(2);
    expect((await api('POST', '/api/notifications/read', { ...as(dave), body: {} })).status).toBe(204);
    const after = await notificationsOf(dave);
    expect(after.unread).toBe(0);
    expect(after.items.every((n) => n.readAt !== null)).toBe(true);

    expectError(await api('GET', '/api/notifications?limit=0', as(dave)), 400);
    expectError(await api('GET', '/api/notifications?limit=51', as(dave)), 400);
    expectError(await api('GET', '/api/notifications?cursor=garbage!', as(dave)), 400);
    expectError(await api('POST', '/api/notifications/read', { ...as(dave), body: { ids: ['abc'] } }), 400);
    expectError(await api('POST', '/api/notifications/read', { ...as(dave), body: { ids: 'all' } }), 400);
    expectError(await api('GET', '/api/notifications'), 401);
  });
});
