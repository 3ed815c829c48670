import type { Note } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { upsertNoteInCache } from './note-cache';
import { noteKeys } from './note-keys';

export const restoreNote = (id: string): Promise<Note> => api.post<Note>(`/api/notes/${encodeURIComponent(id)}/restore`);

export function useRestoreNote({ onSuccess }: { onSuccess?: (note: Note) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restoreNote,
    onSuccess: (note) => {
      upsertNoteInCache(queryClient, note);
      void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
      onSuccess?.(note);
    },
  });
}
