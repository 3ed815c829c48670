import type { NoteStats, TodoStats } from '@micronote/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { accountKeys } from './account-keys';

export interface AccountStats {
  notes: NoteStats;
  todos: TodoStats;
}

export const getAccountStats = (signal?: AbortSignal): Promise<AccountStats> => api.get<AccountStats>('/api/users/me/stats', { signal });

export const accountStatsQueryOptions = () =>
  queryOptions({ queryKey: accountKeys.stats(), queryFn: ({ signal }) => getAccountStats(signal), staleTime: 0, meta: { silent: true } });

export const useAccountStats = () => useQuery(accountStatsQueryOptions());
