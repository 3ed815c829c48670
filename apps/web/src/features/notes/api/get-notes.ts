import type { Note, Page } from '@micronote/contracts';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import type { NoteFilters } from './note-keys';
import { noteKeys } from './note-keys';

export const NOTES_PAGE_SIZE = 30;

/** `GET /api/notes/shared`: the notes others shared with you (accepted), newest updated first, each with `access`. */
export const getSharedNotes = (cursor: string | null, signal?: AbortSignal): Promise<Page<Note>> =>
  api.get<Page<Note>>('/api/notes/shared', { signal, query: { limit: NOTES_PAGE_SIZE, cursor } });

/** One page of a list (keyset: `cursor` is the previous page's `nextCursor`). */
export function getNotes(filters: NoteFilters, cursor: string | null, signal?: AbortSignal): Promise<Page<Note>> {
  if (filters.view === 'shared') return getSharedNotes(cursor, signal);
  return api.get<Page<Note>>('/api/notes', {
    signal,
    query: {
      q: filters.q,
      tag: filters.tag,
      archived: filters.view === 'archived' || undefined,
      trashed: filters.view === 'trash' || undefined,
      limit: NOTES_PAGE_SIZE,
      cursor,
    },
  });
}

export const notesQueryOptions = (filters: NoteFilters) =>
  infiniteQueryOptions({
    queryKey: noteKeys.list(filters),
    queryFn: ({ pageParam, signal }) => getNotes(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    meta: { silent: true },
  });

export const useNotes = (filters: NoteFilters) => useInfiniteQuery(notesQueryOptions(filters));
