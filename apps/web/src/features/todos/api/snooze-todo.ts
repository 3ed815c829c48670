import type { SnoozeTodoRequest, Todo } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { upsertTodoInCache } from './todo-cache';

export interface SnoozeTodoInput {
  id: string;
  /** Minutes from now (the server's default: 10). */
  minutes?: number;
}

export const snoozeTodo = ({ id, minutes }: SnoozeTodoInput): Promise<Todo> =>
  api.post<Todo>(`/api/todos/${encodeURIComponent(id)}/snooze`, (minutes === undefined ? {} : { minutes }) satisfies SnoozeTodoRequest);

/** Reminds again later: the answer (its new `remindAt`) goes into the cache; the caller tells failures. */
export function useSnoozeTodo({ onSuccess }: { onSuccess?: (todo: Todo) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: snoozeTodo,
    meta: { silent: true },
    onSuccess: (todo) => {
      upsertTodoInCache(queryClient, todo);
      onSuccess?.(todo);
    },
  });
}
