import type { ChangeEvent, Note, TodoList, User } from '@micronote/contracts';
import type { QueryClient } from '@tanstack/react-query';

import { memberKeys } from '../../components/people/member-keys';
import { noteQueryOptions } from '../../features/notes/api/get-note';
import { findCachedNote, removeNoteFromCache, upsertNoteInCache } from '../../features/notes/api/note-cache';
import { noteKeys } from '../../features/notes/api/note-keys';
import { addNotificationToCache } from '../../features/notifications/api/get-notifications';
import { notificationKeys } from '../../features/notifications/api/notification-keys';
import type { TodoPages } from '../../features/todos/api/todo-cache';
import { removeTodoFromCache, upsertTodoInCache } from '../../features/todos/api/todo-cache';
import { todoKeys } from '../../features/todos/api/todo-keys';
import { ApiError } from '../../lib/api-error';
import { authKeys } from '../../lib/auth';

export type ApplyOutcome = 'own-echo' | 'updated' | 'refetching' | 'invalidated' | 'ignored';

/**
 * A note whose event came without it (`truncated`: too large to carry): fetched by id and put
 * into every cached view; a 404 means it is gone for good. Other failures refetch the notes.
 */
export async function refetchNote(queryClient: QueryClient, id: string): Promise<void> {
  try {
    const note = await queryClient.fetchQuery({ ...noteQueryOptions(id), staleTime: 0 });
    upsertNoteInCache(queryClient, note);
    // The fetch already replaced the detail, so what changed is unknown here: the tag counts refetch.
    void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      removeNoteFromCache(queryClient, id);
      void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
    } else {
      // Offline, 5xx: the notes refetch when they can.
      void queryClient.invalidateQueries({ queryKey: noteKeys.all });
    }
  }
}

/**
 * Realtime events carry a note without `access` (who may do what is per reader, the event is
 * per note): the note keeps the `access` the cache read over REST. Without it a shared note's
 * update (a live session's checkpoint) would look unshared and close its live editor. A change
 * of the people refetches the note (NOTE_MEMBERS_CHANGED), so the kept `access` stays current.
 */
function withKnownAccess(queryClient: QueryClient, note: Note): Note {
  if (note.access !== undefined) return note;
  const access = findCachedNote(queryClient, note.id)?.access;
  return access === undefined ? note : { ...note, access };
}

/**
 * Applies one realtime event to the react-query cache:
 * - an event caused by this tab (its `clientId`) is skipped: the mutation already updated the cache;
 * - an event that carries the entity patches it in place (its detail and its copy in every list)
 *   and refetches the lists, which the server orders and filters (nothing is re-sorted here);
 * - one marked `truncated` (the entity was too large to carry) fetches it by id, unless the cache
 *   already holds that version or a later one;
 * - one that carries only an id (a note deleted for good, a todo deleted) removes it;
 * - derived data the event cannot update (tag counts, todo stats) is invalidated;
 * - a tag rename (TAGS_RENAMED) refetches the tags and the lists; a share-link change
 *   (NOTE_SHARED) that note's links.
 */
export function applyChangeEvent(queryClient: QueryClient, event: ChangeEvent, ownClientId: string): ApplyOutcome {
  // Sharing events touch caches of several features that the mutation of this tab cannot all know
  // (a member count on a note, the lists of the todos page): applied even when this tab caused them.
  const sharing = applySharingEvent(queryClient, event);
  if (sharing) return sharing;
  if (event.clientId && event.clientId === ownClientId) return 'own-echo';
  switch (event.type) {
    case 'NOTE_CREATED':
    case 'NOTE_UPDATED':
    case 'NOTE_DELETED': {
      if (event.truncated && event.noteId) {
        const cached = findCachedNote(queryClient, event.noteId);
        if (cached && event.version !== undefined && cached.version >= event.version) return 'ignored';
        void refetchNote(queryClient, event.noteId);
        return 'refetching';
      }
      if (event.note) {
        if (upsertNoteInCache(queryClient, withKnownAccess(queryClient, event.note)).tagsChanged) void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
        return 'updated';
      }
      if (event.noteId) {
        removeNoteFromCache(queryClient, event.noteId);
        void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
        return 'updated';
      }
      void queryClient.invalidateQueries({ queryKey: noteKeys.all });
      return 'invalidated';
    }
    case 'TODO_CREATED':
    case 'TODO_UPDATED':
    case 'TODO_COMPLETED':
    case 'TODO_DELETED': {
      void queryClient.invalidateQueries({ queryKey: todoKeys.stats() });
      // A todo in a list: that list's open count.
      if (event.todo?.listId || event.listId) void queryClient.invalidateQueries({ queryKey: todoKeys.todoLists() });
      if (event.truncated) {
        // No single-todo query in this app: the lists refetch (todos are small; this is for completeness).
        void queryClient.invalidateQueries({ queryKey: todoKeys.lists() });
        return 'refetching';
      }
      if (event.todo) {
        upsertTodoInCache(queryClient, event.todo);
        return 'updated';
      }
      if (event.todoId) {
        removeTodoFromCache(queryClient, event.todoId);
        return 'updated';
      }
      void queryClient.invalidateQueries({ queryKey: todoKeys.all });
      return 'invalidated';
    }
    case 'REMINDER':
      // The todo as it was when its reminder fired (the toast is useRealtimeSync's).
      if (event.todo) {
        upsertTodoInCache(queryClient, event.todo);
        return 'updated';
      }
      return 'ignored';
    case 'TAGS_RENAMED':
      // Each note renamed also has its own NOTE_UPDATED; the tag tree and the lists filtered by
      // the old name (or the new one) are refetched here, once, instead of per note.
      void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
      void queryClient.invalidateQueries({ queryKey: noteKeys.lists() });
      return 'invalidated';
    case 'NOTE_SHARED':
      // A link was created or revoked elsewhere: an open share dialog shows the new list.
      void queryClient.invalidateQueries({ queryKey: event.noteId ? noteKeys.shares(event.noteId) : [...noteKeys.all, 'shares'] });
      return 'invalidated';
    case 'USER_UPDATED': {
      if (event.user) {
        queryClient.setQueryData<User>(authKeys.me(), event.user);
        return 'updated';
      }
      void queryClient.invalidateQueries({ queryKey: authKeys.me() });
      return 'invalidated';
    }
    default:
      // A type this build does not know (a newer server): nothing safe to do in place.
      return 'ignored';
  }
}

/**
 * NOTE_MEMBERS_CHANGED, TODO_LIST_UPDATED/DELETED and NOTIFICATION (undefined for any other type):
 * - who a note is shared with changed: its members, the note itself (its `access`), the note lists
 *   (Shared with me; the member count) and the invitations (one may be new, or withdrawn);
 * - a list changed: put in place (or added) in the lists, its members and the invitations refetch;
 * - a list deleted: out of the lists, and every todo view refetches (its todos went with it);
 * - a notification: at the top of the bell's list, one more unread; a share also refetches the
 *   invitations. (The toast is useRealtimeSync's.)
 */
function applySharingEvent(queryClient: QueryClient, event: ChangeEvent): ApplyOutcome | undefined {
  switch (event.type) {
    case 'NOTE_MEMBERS_CHANGED': {
      if (event.noteId) {
        void queryClient.invalidateQueries({ queryKey: memberKeys.item({ kind: 'note', id: event.noteId }) });
        void queryClient.invalidateQueries({ queryKey: noteKeys.detail(event.noteId), exact: true });
      }
      void queryClient.invalidateQueries({ queryKey: noteKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: notificationKeys.invitations() });
      return 'invalidated';
    }
    case 'TODO_LIST_UPDATED': {
      const list = event.list;
      if (list) {
        queryClient.setQueryData<TodoList[]>(todoKeys.todoLists(), (lists) =>
          lists ? (lists.some((l) => l.id === list.id) ? lists.map((l) => (l.id === list.id ? list : l)) : [...lists, list]) : lists,
        );
      }
      const id = list?.id ?? event.listId;
      if (id) void queryClient.invalidateQueries({ queryKey: memberKeys.item({ kind: 'list', id }) });
      void queryClient.invalidateQueries({ queryKey: todoKeys.todoLists() });
      void queryClient.invalidateQueries({ queryKey: notificationKeys.invitations() });
      // Removed from it (role null): its todos are no longer ours to see.
      if (event.member && event.member.role === null) void queryClient.invalidateQueries({ queryKey: todoKeys.lists() });
      return list ? 'updated' : 'invalidated';
    }
    case 'TODO_LIST_DELETED': {
      const id = event.listId ?? event.list?.id;
      if (id) {
        queryClient.setQueryData<TodoList[]>(todoKeys.todoLists(), (lists) => lists?.filter((l) => l.id !== id));
        queryClient.removeQueries({ queryKey: memberKeys.item({ kind: 'list', id }) });
        for (const [key, data] of queryClient.getQueriesData<TodoPages>({ queryKey: todoKeys.lists() })) {
          if (data)
            queryClient.setQueryData<TodoPages>(key, {
              ...data,
              pages: data.pages.map((p) => ({ ...p, items: p.items.filter((t) => t.listId !== id) })),
            });
        }
      }
      void queryClient.invalidateQueries({ queryKey: todoKeys.all });
      void queryClient.invalidateQueries({ queryKey: notificationKeys.invitations() });
      return 'updated';
    }
    case 'NOTIFICATION': {
      if (event.notification) {
        addNotificationToCache(queryClient, event.notification);
        if (event.notification.kind !== 'TODO_COMPLETED') void queryClient.invalidateQueries({ queryKey: notificationKeys.invitations() });
        return 'updated';
      }
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
      return 'invalidated';
    }
    default:
      return undefined;
  }
}
