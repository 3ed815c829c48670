import type { ItemsResponse, TagCount } from '@micronote/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { noteKeys } from './note-keys';

export const getTags = async (signal?: AbortSignal): Promise<TagCount[]> =>
  (await api.get<ItemsResponse<TagCount>>('/api/notes/tags', { signal })).items;

export const tagsQueryOptions = () =>
  queryOptions({ queryKey: noteKeys.tags(), queryFn: ({ signal }) => getTags(signal), meta: { silent: true } });

export const useTags = () => useQuery(tagsQueryOptions());
