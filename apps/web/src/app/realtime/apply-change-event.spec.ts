import type { ChangeEvent, Note, Page, Todo, TodoStats, User } from '@micronote/contracts';
import type { InfiniteData } from '@tanstack/react-query';
import { QueryClient } from '@tanstack/react-query';

import type { NoteFilters } from '../../features/notes/api/note-keys';
import { noteKeys } from '../../features/notes/api/note-keys';
import type { TodoFilters } from '../../features/todos/api/todo-keys';
import { todoKeys } from '../../features/todos/api/todo-keys';
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

const todo = (id: string, patch: Partial<Todo> = {}): Todo => ({
  id,
  text: `Todo ${id}`,
  completed: false,
  priority: 'medium',
  dueDate: null,
  category: null,
  completedAt: null,
  version: 1,
  createdAt: `2026-01-0${id}T00:00:00.000Z`,
  updatedAt: `2026-01-0${id}T00:00:00.000Z`,
  ...patch,
});

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
const todosFilter = (patch: Partial<TodoFilters> = {}): TodoFilters => ({ status: 'all', priority: '', category: '', ...patch });

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

  it('removes a deleted todo everywhere', () => {
    applyChangeEvent(client, event({ type: 'TODO_DELETED', todoId: '1' }), ME);
    expect(ids(client, todoKeys.list(todosFilter()))).toEqual([['3', '2']]);
    expect(ids(client, todoKeys.list(todosFilter({ status: 'completed' })))).toEqual([[]]);
    expect(isInvalidated(client, todoKeys.stats())).toBe(true);
  });

  it('sets the profile from USER_UPDATED', () => {
    const user: User = { id: '42', name: 'Ada King', email: 'ada@example.com', username: 'ada', createdAt: '', updatedAt: '' };
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
});
