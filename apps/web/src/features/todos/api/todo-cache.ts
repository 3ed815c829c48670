import type { Page, Todo } from '@micronote/contracts';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';

import { compareIds } from '../../../lib/ids';
import type { TodoFilters } from './todo-keys';
import { todoKeys } from './todo-keys';

export type TodoPages = InfiniteData<Page<Todo>, string | null>;

/** The server's order: open first, then by due date (soonest first, none last), then newest. */
export function compareTodos(a: Todo, b: Todo): number {
  if (a.completed !== b.completed) return a.completed ? 1 : -1;
  if ((a.dueDate === null) !== (b.dueDate === null)) return a.dueDate === null ? 1 : -1;
  if (a.dueDate && b.dueDate && a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? -1 : 1;
  return -compareIds(a.id, b.id);
}

/** Not completed and due before now. */
export function isOverdue(todo: Todo, now = Date.now()): boolean {
  return !todo.completed && todo.dueDate !== null && Date.parse(todo.dueDate) < now;
}

export function todoMatches(filters: TodoFilters, todo: Todo, now = Date.now()): boolean {
  const status =
    filters.status === 'all' ||
    (filters.status === 'active' && !todo.completed) ||
    (filters.status === 'completed' && todo.completed) ||
    (filters.status === 'overdue' && isOverdue(todo, now));
  return status && (!filters.priority || todo.priority === filters.priority) && (!filters.category || todo.category === filters.category);
}

/** Places a todo in pages kept in server order (see placeNote in the notes feature). */
export function placeTodo(data: TodoPages, todo: Todo, belongs: boolean): TodoPages {
  const existing = data.pages.flatMap((p) => p.items).find((t) => t.id === todo.id);
  if (existing && existing.version > todo.version) return data;
  const pages = data.pages.map((p) => ({ ...p, items: p.items.filter((t) => t.id !== todo.id) }));
  if (belongs) {
    let placed = false;
    for (const page of pages) {
      const at = page.items.findIndex((t) => compareTodos(todo, t) < 0);
      if (at >= 0) {
        page.items.splice(at, 0, todo);
        placed = true;
        break;
      }
    }
    const last = pages[pages.length - 1];
    if (!placed && last && last.nextCursor === null) last.items.push(todo);
  }
  return { ...data, pages };
}

/** Puts a created or changed todo into its detail and, in order, into every cached list it belongs to. */
export function upsertTodoInCache(queryClient: QueryClient, todo: Todo): void {
  const before = queryClient.getQueryData<Todo>(todoKeys.detail(todo.id));
  if (before && before.version > todo.version) return;
  queryClient.setQueryData<Todo>(todoKeys.detail(todo.id), todo);
  for (const [key, data] of queryClient.getQueriesData<TodoPages>({ queryKey: todoKeys.lists() })) {
    if (data) queryClient.setQueryData<TodoPages>(key, placeTodo(data, todo, todoMatches(key[2] as TodoFilters, todo)));
  }
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
