import type { Page, Todo } from '@micronote/contracts';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';

import { todoKeys } from './todo-keys';

export type TodoPages = InfiniteData<Page<Todo>, string | null>;

/**
 * Puts a todo's new state in the cache where it is known for sure: its detail, and its copy in
 * every cached list, in place (an optimistic checkbox shows at once). Nothing is re-sorted or
 * added here: the order and the filters are the server's.
 */
export function patchTodoInCache(queryClient: QueryClient, todo: Todo): boolean {
  const before = queryClient.getQueryData<Todo>(todoKeys.detail(todo.id));
  if (before && before.version > todo.version) return false;
  queryClient.setQueryData<Todo>(todoKeys.detail(todo.id), todo);
  for (const [key, data] of queryClient.getQueriesData<TodoPages>({ queryKey: todoKeys.lists() })) {
    if (!data) continue;
    queryClient.setQueryData<TodoPages>(key, {
      ...data,
      pages: data.pages.map((p) => ({ ...p, items: p.items.map((t) => (t.id === todo.id && t.version <= todo.version ? todo : t)) })),
    });
  }
  return true;
}

/** A todo created or changed (an answer, a realtime event): patched in place, then the lists refetch so the server places it. */
export function upsertTodoInCache(queryClient: QueryClient, todo: Todo): void {
  if (patchTodoInCache(queryClient, todo)) void queryClient.invalidateQueries({ queryKey: todoKeys.lists() });
}

/**
 * An optimistic reorder of one cached list: its loaded todos in `order` (ids), each page keeping
 * its length. Answers the data as it was, to put back if the server refuses.
 */
export function reorderTodosInCache(
  queryClient: QueryClient,
  queryKey: readonly unknown[],
  order: readonly string[],
): TodoPages | undefined {
  const before = queryClient.getQueryData<TodoPages>(queryKey);
  if (!before) return undefined;
  const byId = new Map(before.pages.flatMap((p) => p.items).map((t) => [t.id, t]));
  const items = order.map((id) => byId.get(id)).filter((t): t is Todo => t !== undefined);
  let start = 0;
  queryClient.setQueryData<TodoPages>(queryKey, {
    ...before,
    pages: before.pages.map((p) => {
      const page = { ...p, items: items.slice(start, start + p.items.length) };
      start += p.items.length;
      return page;
    }),
  });
  return before;
}

export function removeTodoFromCache(queryClient: QueryClient, id: string): void {
  queryClient.removeQueries({ queryKey: todoKeys.detail(id), exact: true });
  for (const [key, data] of queryClient.getQueriesData<TodoPages>({ queryKey: todoKeys.lists() })) {
    if (data)
      queryClient.setQueryData<TodoPages>(key, {
        ...data,
        pages: data.pages.map((p) => ({ ...p, items: p.items.filter((t) => t.id !== id) })),
      });
  }
}
