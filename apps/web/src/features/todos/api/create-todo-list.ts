import type { CreateTodoListRequest, TodoList } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { todoKeys } from './todo-keys';

export const createTodoList = (input: CreateTodoListRequest): Promise<TodoList> => api.post<TodoList>('/api/lists', input);

export function useCreateTodoList({ onSuccess }: { onSuccess?: (list: TodoList) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTodoList,
    // The form shows the error by its field.
    meta: { silent: true },
    onSuccess: (list) => {
      queryClient.setQueryData<TodoList[]>(todoKeys.todoLists(), (lists) =>
        lists && !lists.some((l) => l.id === list.id) ? [...lists, list] : lists,
      );
      void queryClient.invalidateQueries({ queryKey: todoKeys.todoLists() });
      onSuccess?.(list);
    },
  });
}
