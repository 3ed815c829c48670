import type { Note } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { upsertNoteInCache } from './note-cache';
import { noteKeys } from './note-keys';

export interface RestoreRevisionInput {
  id: string;
  version: number;
}

/** Makes an old version the current one again, as a new version (the history keeps both). */
export const restoreRevision = ({ id, version }: RestoreRevisionInput): Promise<Note> =>
  api.post<Note>(`/api/notes/${encodeURIComponent(id)}/revisions/${version}/restore`);

export function useRestoreRevision({ onSuccess }: { onSuccess?: (note: Note) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restoreRevision,
    onSuccess: (note, { id }) => {
      if (upsertNoteInCache(queryClient, note).tagsChanged) void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
      void queryClient.invalidateQueries({ queryKey: noteKeys.revisions(id) });
      onSuccess?.(note);
    },
  });
}
