import type { Note } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { findCachedNote, removeNoteFromCache, upsertNoteInCache } from './note-cache';
import { noteKeys } from './note-keys';

export interface DeleteNoteInput {
  id: string;
  /** Gone for good (from the trash) instead of moved to the trash. */
  permanent?: boolean;
}

export const deleteNote = ({ id, permanent }: DeleteNoteInput): Promise<void> =>
  api.delete(`/api/notes/${encodeURIComponent(id)}`, { query: { permanent: permanent || undefined } });

export function useDeleteNote({ onSuccess }: { onSuccess?: (input: DeleteNoteInput) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteNote,
    onSuccess: (_, input) => {
      const cached = findCachedNote(queryClient, input.id);
      if (input.permanent || !cached) {
        removeNoteFromCache(queryClient, input.id);
        void queryClient.invalidateQueries({ queryKey: noteKeys.lists() });
      }
      // The answer is empty: mark our copy trashed; the lists' refetch brings the server's.
      else upsertNoteInCache(queryClient, { ...cached, deletedAt: new Date().toISOString() } satisfies Note);
      void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
      onSuccess?.(input);
    },
  });
}
