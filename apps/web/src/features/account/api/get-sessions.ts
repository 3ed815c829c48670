import type { ItemsResponse, SessionInfo } from '@micronote/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { accountKeys } from './account-keys';

export const getSessions = async (signal?: AbortSignal): Promise<SessionInfo[]> =>
  (await api.get<ItemsResponse<SessionInfo>>('/api/auth/sessions', { signal })).items;

export const sessionsQueryOptions = () =>
  queryOptions({ queryKey: accountKeys.sessions(), queryFn: ({ signal }) => getSessions(signal), staleTime: 0, meta: { silent: true } });

export const useSessions = () => useQuery(sessionsQueryOptions());
