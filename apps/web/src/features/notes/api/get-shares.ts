import type { ItemsResponse, NoteShare } from '@micronote/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { noteKeys } from './note-keys';

export const getShares = async (noteId: string, signal?: AbortSignal): Promise<NoteShare[]> =>
  (await api.get<ItemsResponse<NoteShare>>(`/api/notes/${encodeURIComponent(noteId)}/shares`, { signal })).items;

export const sharesQueryOptions = (noteId: string) =>
  queryOptions({ queryKey: noteKeys.shares(noteId), queryFn: ({ signal }) => getShares(noteId, signal), meta: { silent: true } });

export const useShares = (noteId: string, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...sharesQueryOptions(noteId), enabled });
