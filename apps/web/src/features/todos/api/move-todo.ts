import type { MoveTodoRequest, Todo } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api, errorMessage } from '../../../lib/api-client';
import { toast } from '../../../lib/toast';
import type { TodoPages } from './todo-cache';
import { reorderTodosInCache, upsertTodoInCache } from './todo-cache';
import { todoKeys } from './todo-keys';

export interface MoveTodoInput {
  todo: Todo;
  move: MoveTodoRequest;
}

export const moveTodo = ({ todo, move }: MoveTodoInput): Promise<Todo> =>
  api.post<Todo>(`/api/todos/${encodeURIComponent(todo.id)}/move`, move);

interface MoveVariables extends MoveTodoInput {
  queryKey: readonly unknown[];
  previous: TodoPages | undefined;
}

/**
 * A drop in "My order": the list shows the new order at once (in the same tick as the drop, so the
 * row does not jump back), then `POST /api/todos/:id/move` with its new neighbours; the answer (its
 * new `position`) goes into the cache and the lists refetch in the server's order. When the move
 * is refused the list is put back as it was, and a toast says why.
 */
export function useMoveTodo() {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (variables: MoveVariables) => moveTodo(variables),
    meta: { silent: true },
    onSuccess: (todo) => upsertTodoInCache(queryClient, todo),
    onError: (error, { todo, queryKey, previous }) => {
      if (previous) queryClient.setQueryData(queryKey, previous);
      void queryClient.invalidateQueries({ queryKey: todoKeys.lists() });
      toast.error(`“${todo.text}” was not moved: ${errorMessage(error)}`);
    },
  });
  return {
    isPending: mutation.isPending,
    /** Shows `order` (the ids of the list `queryKey`) now and tells the server. */
    move(input: MoveTodoInput & { queryKey: readonly unknown[]; order: readonly string[] }) {
      const previous = reorderTodosInCache(queryClient, input.queryKey, input.order);
      // A refetch under way would bring the old order back (a cancelled fetch also reverts its
      // query): cancelled, then the new order again, before the write.
      void queryClient.cancelQueries({ queryKey: input.queryKey }).then(() => {
        reorderTodosInCache(queryClient, input.queryKey, input.order);
        mutation.mutate({ todo: input.todo, move: input.move, queryKey: input.queryKey, previous });
      });
    },
  };
}
