import type { TodoList } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { todoKeys } from './todo-keys';

/** `DELETE /api/lists/:id` (the owner): the list and every todo in it. */
export const deleteTodoList = (id: string): Promise<void> => api.delete(`/api/lists/${encodeURIComponent(id)}`);

export function useDeleteTodoList({ onSuccess }: { onSuccess?: (id: string) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteTodoList,
    onSuccess: (_, id) => {
      queryClient.setQueryData<TodoList[]>(todoKeys.todoLists(), (lists) => lists?.filter((l) => l.id !== id));
      // Its todos went with it: every todo view and the stats.
      void queryClient.invalidateQueries({ queryKey: todoKeys.all });
      onSuccess?.(id);
    },
  });
}
