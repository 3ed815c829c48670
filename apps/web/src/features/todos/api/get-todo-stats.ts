import type { TodoStats } from '@micronote/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { todoKeys } from './todo-keys';

export const getTodoStats = (signal?: AbortSignal): Promise<TodoStats> => api.get<TodoStats>('/api/todos/stats', { signal });

export const todoStatsQueryOptions = () =>
  queryOptions({ queryKey: todoKeys.stats(), queryFn: ({ signal }) => getTodoStats(signal), meta: { silent: true } });

export const useTodoStats = () => useQuery(todoStatsQueryOptions());
