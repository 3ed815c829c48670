import type { ChangeEvent, User } from '@micronote/contracts';
import type { QueryClient } from '@tanstack/react-query';

import { noteQueryOptions } from '../../features/notes/api/get-note';
import { findCachedNote, removeNoteFromCache, upsertNoteInCache } from '../../features/notes/api/note-cache';
import { noteKeys } from '../../features/notes/api/note-keys';
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
        if (upsertNoteInCache(queryClient, event.note).tagsChanged) void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
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
