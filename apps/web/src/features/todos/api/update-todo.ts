import type { Todo, UpdateTodoRequest } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api, ApiError, errorMessage } from '../../../lib/api-client';
import { toast } from '../../../lib/toast';
import { patchTodoInCache, upsertTodoInCache } from './todo-cache';
import { todoKeys } from './todo-keys';

export interface UpdateTodoInput {
  todo: Todo;
  patch: UpdateTodoRequest;
}

export const updateTodo = ({ todo, patch }: UpdateTodoInput): Promise<Todo> =>
  api.patch<Todo>(`/api/todos/${encodeURIComponent(todo.id)}`, patch);

/**
 * Applies the change to the cached todo at once, in place (a checkbox must not wait for the
 * network), then puts the server's answer in and refetches the lists, which the server orders. On failure the lists are refetched; on a 409 (someone changed
 * the todo meanwhile) the stored version is shown and the user told.
 */
export function useUpdateTodo({ onSuccess }: { onSuccess?: (todo: Todo) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTodo,
    onMutate: async ({ todo, patch }) => {
      await queryClient.cancelQueries({ queryKey: todoKeys.lists() });
      const { version: _version, ...fields } = patch;
      const completedAt = patch.completed === undefined ? todo.completedAt : patch.completed ? new Date().toISOString() : null;
      // In place only (no refetch racing the write); same version, so the server's answer (version + 1) replaces it.
      patchTodoInCache(queryClient, { ...todo, ...fields, completedAt });
    },
    onSuccess: (todo) => {
      upsertTodoInCache(queryClient, todo);
      onSuccess?.(todo);
    },
    onError: (error, { todo }) => {
      const current = error instanceof ApiError && error.status === 409 ? error.detail<Todo>('current') : undefined;
      if (current) {
        upsertTodoInCache(queryClient, current);
        toast('This todo was changed elsewhere. It now shows the latest version.');
      } else {
        // Undo the optimistic change (same version, so it applies), then ask the server.
        upsertTodoInCache(queryClient, todo);
        toast.error(errorMessage(error));
      }
    },
    onSettled: (_, __, { todo, patch }) => {
      // A list's count of open todos changes with a tick.
      if (todo.listId && patch.completed !== undefined) void queryClient.invalidateQueries({ queryKey: todoKeys.todoLists() });
      return queryClient.invalidateQueries({ queryKey: todoKeys.stats() });
    },
    // Errors are told above, with what was done about them.
    meta: { silent: true },
  });
}
