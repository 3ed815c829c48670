import type { ItemsResponse, TodoList } from '@micronote/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { todoKeys } from './todo-keys';

/** `GET /api/lists`: your todo lists and the ones shared with you (accepted). */
export const getTodoLists = async (signal?: AbortSignal): Promise<TodoList[]> =>
  (await api.get<ItemsResponse<TodoList>>('/api/lists', { signal })).items;

export const todoListsQueryOptions = () =>
  queryOptions({ queryKey: todoKeys.todoLists(), queryFn: ({ signal }) => getTodoLists(signal), meta: { silent: true } });

export const useTodoLists = () => useQuery(todoListsQueryOptions());
