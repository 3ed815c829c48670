import type { NoteShare } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { noteKeys } from './note-keys';

export interface RevokeShareInput {
  noteId: string;
  shareId: string;
}

export const revokeShare = ({ noteId, shareId }: RevokeShareInput): Promise<void> =>
  api.delete(`/api/notes/${encodeURIComponent(noteId)}/shares/${encodeURIComponent(shareId)}`);

export function useRevokeShare({ onSuccess }: { onSuccess?: (input: RevokeShareInput) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeShare,
    meta: { silent: true },
    onSuccess: (_, input) => {
      queryClient.setQueryData<NoteShare[]>(noteKeys.shares(input.noteId), (items) => items?.filter((s) => s.id !== input.shareId));
      void queryClient.invalidateQueries({ queryKey: noteKeys.shares(input.noteId) });
      onSuccess?.(input);
    },
    // Revoked elsewhere in between (404) or not: the list shows what is left.
    onError: (_, input) => void queryClient.invalidateQueries({ queryKey: noteKeys.shares(input.noteId) }),
  });
}
