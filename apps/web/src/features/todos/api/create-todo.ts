import type { CreateTodoRequest, Todo } from '@micronote/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { upsertTodoInCache } from './todo-cache';
import { todoKeys } from './todo-keys';

/** `listId`: into that todo list (yours, or one shared with you as editor: the todo is then its owner's). */
export type CreateTodoInput = CreateTodoRequest & { listId?: string };

export const createTodo = (input: CreateTodoInput): Promise<Todo> => api.post<Todo>('/api/todos', input);

export function useCreateTodo({ onSuccess }: { onSuccess?: (todo: Todo) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTodo,
    // The quick-add form shows validation errors by its fields.
    meta: { silent: true },
    onSuccess: (todo) => {
      upsertTodoInCache(queryClient, todo);
      void queryClient.invalidateQueries({ queryKey: todoKeys.stats() });
      // A list's count of open todos.
      if (todo.listId) void queryClient.invalidateQueries({ queryKey: todoKeys.todoLists() });
      onSuccess?.(todo);
    },
  });
}

/** Undo of a delete: the same todo again (a new id; the old one is gone for good), completed if it was. */
export async function recreateTodo(queryClient: QueryClient, deleted: Todo): Promise<Todo> {
  let todo = await createTodo({
    text: deleted.text,
    priority: deleted.priority,
    dueDate: deleted.allDay && deleted.dueDate ? deleted.dueDate.slice(0, 10) : deleted.dueDate,
    allDay: deleted.dueDate ? deleted.allDay : undefined,
    category: deleted.category,
    parentId: deleted.parentId ?? undefined,
    listId: deleted.listId ?? undefined,
    recurrence: deleted.recurrence ?? undefined,
  });
  if (deleted.completed) todo = await api.patch<Todo>(`/api/todos/${encodeURIComponent(todo.id)}`, { completed: true });
  upsertTodoInCache(queryClient, todo);
  void queryClient.invalidateQueries({ queryKey: todoKeys.stats() });
  return todo;
}
