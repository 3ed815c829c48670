import type { Note, TickTaskRequest } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { upsertNoteInCache } from './note-cache';

export interface TickTaskInput extends TickTaskRequest {
  id: string;
}

/**
 * Ticks (or unticks) a task item, found by the server by its text (nearest to `index` when
 * repeated), so it needs no version and lands on the right line after other edits. 409
 * TASK_NOT_FOUND when no item has that text any more.
 */
export const tickTask = ({ id, ...body }: TickTaskInput): Promise<Note> =>
  api.post<Note>(`/api/notes/${encodeURIComponent(id)}/tasks`, body);

/** The answer (a new version) goes into the cache like any change; an open editor follows or merges it. */
export function useTickTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: tickTask,
    meta: { silent: true },
    onSuccess: (note) => {
      upsertNoteInCache(queryClient, note);
    },
  });
}
