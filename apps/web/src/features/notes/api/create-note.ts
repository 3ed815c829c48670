import type { CreateNoteRequest, Note } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { upsertNoteInCache } from './note-cache';
import { noteKeys } from './note-keys';

export const createNote = (input: CreateNoteRequest): Promise<Note> => api.post<Note>('/api/notes', input);

export function useCreateNote({ onSuccess }: { onSuccess?: (note: Note) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createNote,
    onSuccess: (note) => {
      upsertNoteInCache(queryClient, note);
      void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
      onSuccess?.(note);
    },
  });
}
