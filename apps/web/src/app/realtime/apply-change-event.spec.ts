import type { AppNotification, ChangeEvent, Note, NotificationsPage, Page, Todo, TodoList, TodoStats, User } from '@micronote/contracts';
import type { InfiniteData } from '@tanstack/react-query';
import { QueryClient } from '@tanstack/react-query';

import { memberKeys } from '../../components/people/member-keys';
import type { NoteFilters } from '../../features/notes/api/note-keys';
import { noteKeys } from '../../features/notes/api/note-keys';
import { notificationKeys } from '../../features/notifications/api/notification-keys';
import type { TodoFilters } from '../../features/todos/api/todo-keys';
import { todoKeys } from '../../features/todos/api/todo-keys';
import { todoFixture } from '../../features/todos/testing/todo-fixtures';
import { api } from '../../lib/api-client';
import { ApiError } from '../../lib/api-error';
import { authKeys } from '../../lib/auth';
import { applyChangeEvent } from './apply-change-event';

const ME = 'tab-me';
const OTHER = 'tab-other';

const note = (id: string, patch: Partial<Note> = {}): Note => ({
  id,
  title: `Note ${id}`,
  text: '',
  tags: [],
  isPinned: false,
  isArchived: false,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: `2026-01-0${id}T00:00:00.000Z`,
  deletedAt: null,
  ...patch,
});

const todo = (id: string, patch: Partial<Todo> = {}): Todo =>
  todoFixture(id, { createdAt: `2026-01-0${id}T00:00:00.000Z`, updatedAt: `2026-01-0${id}T00:00:00.000Z`, ...patch });

const event = (patch: Partial<ChangeEvent>): ChangeEvent => ({
  id: '1-0',
  type: 'NOTE_UPDATED',
  userId: '42',
  at: '2026-01-09T00:00:00.000Z',
  clientId: OTHER,
  ...patch,
});

const pages = <T>(...chunks: { items: T[]; nextCursor: string | null }[]): InfiniteData<Page<T>, string | null> => ({
  pages: chunks,
  pageParams: chunks.map((_, i) => (i === 0 ? null : `c${i}`)),
});

const notesFilter = (patch: Partial<NoteFilters> = {}): NoteFilters => ({ view: 'notes', q: '', tag: '', ...patch });
const todosFilter = (patch: Partial<TodoFilters> = {}): TodoFilters => ({
  status: 'all',
  priority: '',
  category: '',
  listId: '',
  view: 'all',
  order: 'default',
  parentId: '',
  ...patch,
});

function ids<T extends { id: string }>(client: QueryClient, key: readonly unknown[]): string[][] {
  return (client.getQueryData<InfiniteData<Page<T>>>(key)?.pages ?? []).map((p) => p.items.map((i) => i.id));
}

/** Whether a query was marked stale (invalidated) since it was seeded. */
const isInvalidated = (client: QueryClient, key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated ?? false;

describe(applyChangeEvent.name, () => {
  let client: QueryClient;

  beforeEach(() => {
    client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    // Lists as the server ordered them: pinned first, then most recently updated.
    client.setQueryData(
      noteKeys.list(notesFilter()),
      pages({ items: [note('5', { isPinned: true }), note('4'), note('2')], nextCursor: null }),
    );
    client.setQueryData(
      noteKeys.list(notesFilter({ view: 'archived' })),
      pages({ items: [note('3', { isArchived: true })], nextCursor: null }),
    );
    client.setQueryData(noteKeys.list(notesFilter({ view: 'trash' })), pages({ items: [], nextCursor: null }));
    client.setQueryData(noteKeys.list(notesFilter({ tag: 'work' })), pages({ items: [], nextCursor: null }));
    client.setQueryData(noteKeys.list(notesFilter({ q: 'milk' })), pages({ items: [note('4')], nextCursor: null }));
    client.setQueryData(noteKeys.detail('4'), note('4'));
    client.setQueryData(noteKeys.tags(), [{ tag: 'home', count: 1 }]);

    client.setQueryData(
      todoKeys.list(todosFilter()),
      pages({ items: [todo('3'), todo('2'), todo('1', { completed: true })], nextCursor: null }),
    );
    client.setQueryData(todoKeys.list(todosFilter({ status: 'active' })), pages({ items: [todo('3'), todo('2')], nextCursor: null }));
    client.setQueryData(
      todoKeys.list(todosFilter({ status: 'completed' })),
      pages({ items: [todo('1', { completed: true })], nextCursor: null }),
    );
    client.setQueryData<TodoStats>(todoKeys.stats(), {
      total: 3,
      completed: 1,
      pending: 2,
      overdue: 0,
      completionRate: 1 / 3,
      byPriority: { low: 0, medium: 3, high: 0 },
      byCategory: {},
    });
  });

  it("skips the tab's own echoes", () => {
    const before = client
      .getQueryCache()
      .getAll()
      .map((q) => q.state.dataUpdatedAt);
    const outcome = applyChangeEvent(client, event({ type: 'NOTE_CREATED', clientId: ME, note: note('9'), noteId: '9' }), ME);
    expect(outcome).toBe('own-echo');
    expect(ids(client, noteKeys.list(notesFilter()))).toEqual([['5', '4', '2']]);
    expect(
      client
        .getQueryCache()
        .getAll()
        .map((q) => q.state.dataUpdatedAt),
    ).toEqual(before);
  });

  it('puts a created note into its detail and has every list refetched: the server places it', () => {
    const created = note('7', { tags: ['work'], updatedAt: '2026-01-07T00:00:00.000Z' });
    expect(applyChangeEvent(client, event({ type: 'NOTE_CREATED', note: created, noteId: '7' }), ME)).toBe('updated');
    expect(client.getQueryData(noteKeys.detail('7'))).toEqual(created);
    // Nothing is sorted in by hand: the lists stay as the server sent them, and refetch.
    expect(ids(client, noteKeys.list(notesFilter()))).toEqual([['5', '4', '2']]);
    for (const filters of [notesFilter(), notesFilter({ tag: 'work' }), notesFilter({ view: 'archived' }), notesFilter({ q: 'milk' })]) {
      expect(isInvalidated(client, noteKeys.list(filters))).toBe(true);
    }
    // New tags: the counts are refetched.
    expect(isInvalidated(client, noteKeys.tags())).toBe(true);
  });

  it('updates a note in place (detail, lists, search results), then refetches the lists', () => {
    const updated = note('2', { title: 'Renamed', version: 2, updatedAt: '2026-01-08T00:00:00.000Z' });
    applyChangeEvent(client, event({ note: updated, noteId: '2' }), ME);
    expect(ids(client, noteKeys.list(notesFilter()))).toEqual([['5', '4', '2']]);
    expect(client.getQueryData<InfiniteData<Page<Note>>>(noteKeys.list(notesFilter()))?.pages[0].items[2].title).toBe('Renamed');
    expect(client.getQueryData<Note>(noteKeys.detail('2'))?.title).toBe('Renamed');
    expect(isInvalidated(client, noteKeys.list(notesFilter()))).toBe(true);
    // Same tags as before: the tag counts stay.
    expect(isInvalidated(client, noteKeys.tags())).toBe(false);
  });

  it('keeps the access the cache read: events carry a shared note without it (the live editor stays live)', () => {
    const access: Note['access'] = { role: 'editor', owner: { id: '1', username: 'ann', displayName: 'Ann' }, members: 1 };
    client.setQueryData(noteKeys.detail('4'), note('4', { access }));
    applyChangeEvent(client, event({ note: note('4', { text: 'checkpoint', version: 2 }), noteId: '4' }), ME);
    expect(client.getQueryData<Note>(noteKeys.detail('4'))).toMatchObject({ text: 'checkpoint', version: 2, access });
    // An unshared note stays without it.
    applyChangeEvent(client, event({ note: note('2', { version: 2 }), noteId: '2' }), ME);
    expect(client.getQueryData<Note>(noteKeys.detail('2'))?.access).toBeUndefined();
  });

  it('never lets an older version overwrite a newer one', () => {
    client.setQueryData(noteKeys.detail('4'), note('4', { title: 'Newer', version: 5 }));
    applyChangeEvent(client, event({ note: note('4', { title: 'Older', version: 3 }), noteId: '4' }), ME);
    expect(client.getQueryData<Note>(noteKeys.detail('4'))?.title).toBe('Newer');
  });

  it('leaves moving an archived or trashed note between the views to the refetch', () => {
    const trashed = note('2', { version: 2, deletedAt: '2026-01-09T00:00:00.000Z' });
    applyChangeEvent(client, event({ type: 'NOTE_DELETED', note: trashed, noteId: '2' }), ME);
    expect(client.getQueryData<InfiniteData<Page<Note>>>(noteKeys.list(notesFilter()))?.pages[0].items[2]).toEqual(trashed);
    expect(isInvalidated(client, noteKeys.list(notesFilter()))).toBe(true);
    expect(isInvalidated(client, noteKeys.list(notesFilter({ view: 'trash' })))).toBe(true);
  });

  it('removes a note deleted for good (the event carries only its id)', () => {
    applyChangeEvent(client, event({ type: 'NOTE_DELETED', noteId: '4' }), ME);
    expect(ids(client, noteKeys.list(notesFilter()))).toEqual([['5', '2']]);
    expect(ids(client, noteKeys.list(notesFilter({ q: 'milk' })))).toEqual([[]]);
    expect(client.getQueryData(noteKeys.detail('4'))).toBeUndefined();
  });

  it('patches a completed todo in place wherever it is cached, and refetches the lists and the stats', () => {
    const done = todo('2', { completed: true, completedAt: '2026-01-09T00:00:00.000Z', version: 2 });
    applyChangeEvent(client, event({ type: 'TODO_COMPLETED', todo: done, todoId: '2' }), ME);
    expect(ids(client, todoKeys.list(todosFilter()))).toEqual([['3', '2', '1']]);
    expect(client.getQueryData<InfiniteData<Page<Todo>>>(todoKeys.list(todosFilter()))?.pages[0].items[1].completed).toBe(true);
    for (const status of ['all', 'active', 'completed'] as const) {
      expect(isInvalidated(client, todoKeys.list(todosFilter({ status })))).toBe(true);
    }
    expect(isInvalidated(client, todoKeys.stats())).toBe(true);
  });

  it('puts the todo a REMINDER carries in place (its toast is not the cache’s business)', () => {
    const fired = todo('2', { remindAt: '2026-01-09T00:00:00.000Z', version: 3 });
    expect(applyChangeEvent(client, event({ type: 'REMINDER', todo: fired, todoId: '2', clientId: undefined, late: false }), ME)).toBe(
      'updated',
    );
    expect(client.getQueryData<InfiniteData<Page<Todo>>>(todoKeys.list(todosFilter()))?.pages[0].items[1].remindAt).toBe(
      '2026-01-09T00:00:00.000Z',
    );
    expect(applyChangeEvent(client, event({ type: 'REMINDER', todoId: '2', truncated: true }), ME)).toBe('ignored');
  });

  it('removes a deleted todo everywhere', () => {
    applyChangeEvent(client, event({ type: 'TODO_DELETED', todoId: '1' }), ME);
    expect(ids(client, todoKeys.list(todosFilter()))).toEqual([['3', '2']]);
    expect(ids(client, todoKeys.list(todosFilter({ status: 'completed' })))).toEqual([[]]);
    expect(isInvalidated(client, todoKeys.stats())).toBe(true);
  });

  it('sets the profile from USER_UPDATED', () => {
    const user: User = {
      id: '42',
      name: 'Ada King',
      email: 'ada@example.com',
      username: 'ada',
      timeZone: 'Europe/London',
      locale: 'en-GB',
      createdAt: '',
      updatedAt: '',
    };
    applyChangeEvent(client, event({ type: 'USER_UPDATED', user }), ME);
    expect(client.getQueryData(authKeys.me())).toEqual(user);
  });

  it('refetches the tag tree and the note lists on TAGS_RENAMED (the notes come with their own NOTE_UPDATED)', () => {
    expect(applyChangeEvent(client, event({ type: 'TAGS_RENAMED', from: 'work', to: 'job' }), ME)).toBe('invalidated');
    expect(isInvalidated(client, noteKeys.tags())).toBe(true);
    expect(isInvalidated(client, noteKeys.list(notesFilter({ tag: 'work' })))).toBe(true);
    expect(isInvalidated(client, noteKeys.list(notesFilter()))).toBe(true);
    // The note itself is left to its NOTE_UPDATED.
    expect(isInvalidated(client, noteKeys.detail('4'))).toBe(false);
  });

  it("refetches a note's share links on NOTE_SHARED", () => {
    client.setQueryData(noteKeys.shares('4'), []);
    client.setQueryData(noteKeys.shares('5'), []);
    expect(applyChangeEvent(client, event({ type: 'NOTE_SHARED', noteId: '4' }), ME)).toBe('invalidated');
    expect(isInvalidated(client, noteKeys.shares('4'))).toBe(true);
    expect(isInvalidated(client, noteKeys.shares('5'))).toBe(false);
    expect(isInvalidated(client, noteKeys.list(notesFilter()))).toBe(false);
  });

  it('invalidates what an event without its entity may have changed', () => {
    expect(applyChangeEvent(client, event({ type: 'TODO_UPDATED' }), ME)).toBe('invalidated');
    expect(isInvalidated(client, todoKeys.list(todosFilter()))).toBe(true);
    expect(applyChangeEvent(client, event({ type: 'SOMETHING_NEW' as ChangeEvent['type'] }), ME)).toBe('ignored');
  });

  describe('an event marked truncated (the note was too large to carry)', () => {
    const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
    afterEach(() => jest.restoreAllMocks());

    it('fetches the note by id, puts it into the detail and the lists in place, and refetches the lists', async () => {
      const fresh = note('4', { text: 'x'.repeat(100_000), version: 2, updatedAt: '2026-01-09T00:00:00.000Z', tags: ['work'] });
      const get = jest.spyOn(api, 'get').mockResolvedValue(fresh);
      expect(applyChangeEvent(client, event({ type: 'NOTE_UPDATED', noteId: '4', version: 2, truncated: true }), ME)).toBe('refetching');
      await flush();
      expect(get).toHaveBeenCalledWith('/api/notes/4', expect.anything());
      expect(client.getQueryData(noteKeys.detail('4'))).toEqual(fresh);
      expect(client.getQueryData<InfiniteData<Page<Note>>>(noteKeys.list(notesFilter()))?.pages[0].items[1]).toEqual(fresh);
      expect(isInvalidated(client, noteKeys.list(notesFilter({ tag: 'work' })))).toBe(true);
      expect(isInvalidated(client, noteKeys.tags())).toBe(true);
    });

    it('fetches a created one too, and a trashed one (NOTE_DELETED without the note is not a deletion for good)', async () => {
      const trashed = note('2', { version: 2, deletedAt: '2026-01-09T00:00:00.000Z' });
      jest.spyOn(api, 'get').mockResolvedValue(trashed);
      expect(applyChangeEvent(client, event({ type: 'NOTE_DELETED', noteId: '2', version: 2, truncated: true }), ME)).toBe('refetching');
      await flush();
      expect(client.getQueryData<Note>(noteKeys.detail('2'))).toEqual(trashed);
      expect(isInvalidated(client, noteKeys.list(notesFilter({ view: 'trash' })))).toBe(true);
    });

    it('removes the note when the fetch finds it gone (404)', async () => {
      jest.spyOn(api, 'get').mockRejectedValue(new ApiError(404, { code: 'NOTE_NOT_FOUND', message: 'Note not found' }));
      applyChangeEvent(client, event({ type: 'NOTE_UPDATED', noteId: '4', version: 2, truncated: true }), ME);
      await flush();
      await flush();
      expect(ids(client, noteKeys.list(notesFilter()))).toEqual([['5', '2']]);
    });

    it('fetches nothing when the cache already has that version', () => {
      const get = jest.spyOn(api, 'get');
      expect(applyChangeEvent(client, event({ type: 'NOTE_UPDATED', noteId: '4', version: 1, truncated: true }), ME)).toBe('ignored');
      expect(get).not.toHaveBeenCalled();
    });

    it('skips its own echo like any other event', () => {
      const get = jest.spyOn(api, 'get');
      expect(applyChangeEvent(client, event({ type: 'NOTE_UPDATED', noteId: '4', version: 2, truncated: true, clientId: ME }), ME)).toBe(
        'own-echo',
      );
      expect(get).not.toHaveBeenCalled();
    });

    it('refetches the todo lists for a truncated todo event', () => {
      expect(applyChangeEvent(client, event({ type: 'TODO_UPDATED', todoId: '2', version: 2, truncated: true }), ME)).toBe('refetching');
      expect(isInvalidated(client, todoKeys.list(todosFilter()))).toBe(true);
    });
  });

  describe('sharing', () => {
    const OWNER = { id: '1', username: 'ann', displayName: null };
    const list = (id: string, patch: Partial<TodoList> = {}): TodoList => ({
      id,
      name: `List ${id}`,
      role: 'owner',
      owner: OWNER,
      members: 0,
      open: 0,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...patch,
    });
    const notification: AppNotification = {
      id: 'n9',
      kind: 'LIST_SHARED',
      actor: OWNER,
      subject: { kind: 'list', id: '5', title: 'Groceries' },
      readAt: null,
      createdAt: '2026-01-09T00:00:00.000Z',
    };
    let client: QueryClient;
    beforeEach(() => {
      client = new QueryClient();
      client.setQueryData(todoKeys.todoLists(), [list('5'), list('6')]);
      client.setQueryData(todoKeys.list(todosFilter()), pages({ items: [todo('1', { listId: '5' }), todo('2')], nextCursor: null }));
      client.setQueryData(memberKeys.item({ kind: 'note', id: '3' }), { owner: OWNER, items: [] });
      client.setQueryData(notificationKeys.invitations(), []);
      client.setQueryData(notificationKeys.list(), { pages: [{ items: [], nextCursor: null, unread: 2 }], pageParams: [null] });
      client.setQueryData(noteKeys.list(notesFilter({ view: 'shared' })), pages({ items: [note('3')], nextCursor: null }));
    });

    it('NOTE_MEMBERS_CHANGED refetches the members, the note lists and the invitations, even from this tab', () => {
      expect(applyChangeEvent(client, event({ type: 'NOTE_MEMBERS_CHANGED', noteId: '3', clientId: ME }), ME)).toBe('invalidated');
      expect(isInvalidated(client, memberKeys.item({ kind: 'note', id: '3' }))).toBe(true);
      expect(isInvalidated(client, noteKeys.list(notesFilter({ view: 'shared' })))).toBe(true);
      expect(isInvalidated(client, notificationKeys.invitations())).toBe(true);
    });

    it('TODO_LIST_UPDATED puts the list in place, or adds it', () => {
      applyChangeEvent(client, event({ type: 'TODO_LIST_UPDATED', list: list('6', { name: 'Renamed' }) }), ME);
      applyChangeEvent(client, event({ type: 'TODO_LIST_UPDATED', list: list('7', { role: 'editor' }) }), ME);
      expect(client.getQueryData<TodoList[]>(todoKeys.todoLists())?.map((l) => l.name)).toEqual(['List 5', 'Renamed', 'List 7']);
    });

    it('TODO_LIST_DELETED takes the list and its todos out', () => {
      expect(applyChangeEvent(client, event({ type: 'TODO_LIST_DELETED', listId: '5' }), ME)).toBe('updated');
      expect(client.getQueryData<TodoList[]>(todoKeys.todoLists())?.map((l) => l.id)).toEqual(['6']);
      const todos = client.getQueryData<InfiniteData<Page<Todo>>>(todoKeys.list(todosFilter()));
      expect(todos?.pages[0].items.map((t) => t.id)).toEqual(['2']);
    });

    it('NOTIFICATION goes to the top of the bell with one more unread; a share refetches the invitations', () => {
      expect(applyChangeEvent(client, event({ type: 'NOTIFICATION', notification }), ME)).toBe('updated');
      const data = client.getQueryData<InfiniteData<NotificationsPage>>(notificationKeys.list());
      expect(data?.pages[0].items.map((n) => n.id)).toEqual(['n9']);
      expect(data?.pages[0].unread).toBe(3);
      expect(isInvalidated(client, notificationKeys.invitations())).toBe(true);
    });

    it('a todo event in a list refetches the lists (open counts)', () => {
      applyChangeEvent(client, event({ type: 'TODO_COMPLETED', todo: todo('1', { listId: '5', completed: true, version: 2 }) }), ME);
      expect(isInvalidated(client, todoKeys.todoLists())).toBe(true);
    });
  });
});
