import type { NoteRevision, NoteRevisionSummary, Page } from '@micronote/contracts';
import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { noteKeys } from './note-keys';

/** One page of a note's revisions, newest first. */
export const getRevisions = (id: string, cursor: string | null, signal?: AbortSignal): Promise<Page<NoteRevisionSummary>> =>
  api.get<Page<NoteRevisionSummary>>(`/api/notes/${encodeURIComponent(id)}/revisions`, { query: { cursor }, signal });

export const revisionsQueryOptions = (id: string) =>
  infiniteQueryOptions({
    queryKey: noteKeys.revisions(id),
    queryFn: ({ pageParam, signal }) => getRevisions(id, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // Every open of the history asks again (a save or a tick elsewhere adds one).
    staleTime: 0,
    meta: { silent: true },
  });

export const useRevisions = (id: string) => useInfiniteQuery(revisionsQueryOptions(id));

/** The note as it was at `version` (a revision never changes: cached for good). */
export const getRevision = (id: string, version: number, signal?: AbortSignal): Promise<NoteRevision> =>
  api.get<NoteRevision>(`/api/notes/${encodeURIComponent(id)}/revisions/${version}`, { signal });

export const revisionQueryOptions = (id: string, version: number) =>
  queryOptions({
    queryKey: noteKeys.revision(id, version),
    queryFn: ({ signal }) => getRevision(id, version, signal),
    staleTime: Infinity,
    meta: { silent: true },
  });

export const useRevision = (id: string, version: number | null) =>
  useQuery({ ...revisionQueryOptions(id, version ?? 0), enabled: version !== null });
