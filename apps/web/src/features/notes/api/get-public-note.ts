import type { PublicNote } from '@micronote/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { noteKeys } from './note-keys';

/** A shared note, without a session: no token is sent and none is fetched (a 401 cannot happen here). */
export const getPublicNote = (token: string, signal?: AbortSignal): Promise<PublicNote> =>
  api.get<PublicNote>(`/api/public/notes/${encodeURIComponent(token)}`, { signal, auth: false });

export const publicNoteQueryOptions = (token: string) =>
  queryOptions({
    queryKey: noteKeys.publicNote(token),
    queryFn: ({ signal }) => getPublicNote(token, signal),
    meta: { silent: true },
  });

export const usePublicNote = (token: string) => useQuery(publicNoteQueryOptions(token));
