import type { Note } from '@micronote/contracts';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { findCachedNote } from './note-cache';
import { noteKeys } from './note-keys';

export const getNote = (id: string, signal?: AbortSignal): Promise<Note> =>
  api.get<Note>(`/api/notes/${encodeURIComponent(id)}`, { signal });

export const noteQueryOptions = (id: string) =>
  queryOptions({ queryKey: noteKeys.detail(id), queryFn: ({ signal }) => getNote(id, signal), meta: { silent: true } });

/** A note; opens at once with the copy from the list it was clicked in, and checks with the server in the background. */
export function useNote(id: string) {
  const queryClient = useQueryClient();
  return useQuery({
    ...noteQueryOptions(id),
    initialData: () => findCachedNote(queryClient, id),
    // Treated as stale: the list's copy is shown while the note itself is fetched.
    initialDataUpdatedAt: 0,
  });
}
