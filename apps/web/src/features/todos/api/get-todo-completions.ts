import type { Page, TodoCompletion } from '@micronote/contracts';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { todoKeys } from './todo-keys';

export const COMPLETIONS_PAGE_SIZE = 10;

/** Under the todo's detail key: whatever refreshes the todo refreshes its history too. */
export const todoCompletionsKey = (todoId: string) => [...todoKeys.detail(todoId), 'completions'] as const;

export function getTodoCompletions(todoId: string, cursor: string | null, signal?: AbortSignal): Promise<Page<TodoCompletion>> {
  return api.get<Page<TodoCompletion>>(`/api/todos/${encodeURIComponent(todoId)}/completions`, {
    signal,
    query: { limit: COMPLETIONS_PAGE_SIZE, cursor },
  });
}

export const todoCompletionsQueryOptions = (todoId: string) =>
  infiniteQueryOptions({
    queryKey: todoCompletionsKey(todoId),
    queryFn: ({ pageParam, signal }) => getTodoCompletions(todoId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // The list shows its own error, with Try again.
    meta: { silent: true },
  });

/** The completed occurrences of a recurring todo, newest first, a page at a time. */
export const useTodoCompletions = (todoId: string) => useInfiniteQuery(todoCompletionsQueryOptions(todoId));
