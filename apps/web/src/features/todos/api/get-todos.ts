import type { Page, Todo } from '@micronote/contracts';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import type { TodoFilters } from './todo-keys';
import { todoKeys } from './todo-keys';

export const TODOS_PAGE_SIZE = 50;

export function getTodos(filters: TodoFilters, cursor: string | null, signal?: AbortSignal): Promise<Page<Todo>> {
  return api.get<Page<Todo>>('/api/todos', {
    signal,
    query: {
      completed: filters.status === 'active' ? false : filters.status === 'completed' ? true : undefined,
      overdue: filters.status === 'overdue' || undefined,
      priority: filters.priority,
      category: filters.category,
      listId: filters.listId,
      limit: TODOS_PAGE_SIZE,
      cursor,
    },
  });
}

export const todosQueryOptions = (filters: TodoFilters) =>
  infiniteQueryOptions({
    queryKey: todoKeys.list(filters),
    queryFn: ({ pageParam, signal }) => getTodos(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    meta: { silent: true },
  });

export const useTodos = (filters: TodoFilters) => useInfiniteQuery(todosQueryOptions(filters));
