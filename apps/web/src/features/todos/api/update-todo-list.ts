import type { TodoList, UpdateTodoListRequest } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { todoKeys } from './todo-keys';

export interface UpdateTodoListInput extends UpdateTodoListRequest {
  id: string;
}

/** `PATCH /api/lists/:id` (the owner renames). */
export const updateTodoList = ({ id, ...body }: UpdateTodoListInput): Promise<TodoList> =>
  api.patch<TodoList>(`/api/lists/${encodeURIComponent(id)}`, body);

export function useUpdateTodoList({ onSuccess }: { onSuccess?: (list: TodoList) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTodoList,
    meta: { silent: true },
    onSuccess: (list) => {
      queryClient.setQueryData<TodoList[]>(todoKeys.todoLists(), (lists) => lists?.map((l) => (l.id === list.id ? list : l)));
      void queryClient.invalidateQueries({ queryKey: todoKeys.todoLists() });
      onSuccess?.(list);
    },
  });
}
