import type { Page, Todo } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import type { TodoFilters } from './todo-keys';
import { todoKeys } from './todo-keys';

export const TODOS_PAGE_SIZE = 50;
/** A todo's subtasks in as few pages as the API allows (TODO_LIMITS.subtasksPerTodo at most). */
export const SUBTASKS_PAGE_SIZE = TODO_LIMITS.pageSize.max;

export function getTodos(filters: TodoFilters, cursor: string | null, signal?: AbortSignal): Promise<Page<Todo>> {
  return api.get<Page<Todo>>('/api/todos', {
    signal,
    query: {
      completed: filters.status === 'active' ? false : filters.status === 'completed' ? true : undefined,
      overdue: filters.status === 'overdue' || undefined,
      priority: filters.priority,
      category: filters.category,
      listId: filters.listId,
      view: filters.view === 'all' ? undefined : filters.view,
      order: filters.order === 'manual' ? 'manual' : undefined,
      parentId: filters.parentId,
      limit: filters.parentId ? SUBTASKS_PAGE_SIZE : TODOS_PAGE_SIZE,
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
