import type { ChangeEvent, Todo } from '@micronote/contracts';
import type { QueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import type { TodoPages } from '../api/todo-cache';
import { todoKeys } from '../api/todo-keys';
import { followTodoEvent, receiveReminder } from './reminder-store';

function cachedTodo(queryClient: QueryClient, id: string): Todo | undefined {
  const detail = queryClient.getQueryData<Todo>(todoKeys.detail(id));
  if (detail) return detail;
  for (const [, data] of queryClient.getQueriesData<TodoPages>({ queryKey: todoKeys.lists() })) {
    const found = data?.pages.flatMap((p) => p.items).find((t) => t.id === id);
    if (found) return found;
  }
  return undefined;
}

/**
 * The reminders' side of a realtime event (the cache's is applyChangeEvent's): a REMINDER shows
 * its toast once in this tab; one that came without its todo (`truncated`) takes the cached todo,
 * else fetches it. Any todo event (from this tab too) updates or ends a reminder on show.
 */
export function applyReminderEvent(queryClient: QueryClient, event: ChangeEvent): void {
  if (event.type === 'REMINDER') {
    if (event.todo || !event.todoId) {
      receiveReminder(event);
      return;
    }
    const cached = cachedTodo(queryClient, event.todoId);
    if (cached) receiveReminder(event, cached);
    else
      void api.get<Todo>(`/api/todos/${encodeURIComponent(event.todoId)}`).then(
        (todo) => receiveReminder(event, todo),
        // Gone meanwhile (404) or unreachable: the todo's own events tell the rest.
        () => undefined,
      );
    return;
  }
  if (event.type === 'TODO_UPDATED' || event.type === 'TODO_COMPLETED' || event.type === 'TODO_DELETED') followTodoEvent(event);
}
