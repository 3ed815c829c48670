import type { Todo } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { removeTodoFromCache } from './todo-cache';
import { todoKeys } from './todo-keys';

export const deleteTodo = (todo: Todo): Promise<void> => api.delete(`/api/todos/${encodeURIComponent(todo.id)}`);

export function useDeleteTodo({ onSuccess }: { onSuccess?: (todo: Todo) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteTodo,
    onSuccess: (_, todo) => {
      removeTodoFromCache(queryClient, todo.id);
      void queryClient.invalidateQueries({ queryKey: todoKeys.stats() });
      onSuccess?.(todo);
    },
  });
}
