import type { CreatedNoteShare, CreateShareRequest, NoteShare } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { noteKeys } from './note-keys';

export interface CreateShareInput extends CreateShareRequest {
  noteId: string;
}

export const createShare = ({ noteId, ...body }: CreateShareInput): Promise<CreatedNoteShare> =>
  api.post<CreatedNoteShare>(`/api/notes/${encodeURIComponent(noteId)}/shares`, body);

export function useCreateShare({ onSuccess }: { onSuccess?: (share: CreatedNoteShare) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createShare,
    meta: { silent: true },
    onSuccess: (share, { noteId }) => {
      // Listed at once (without its token, as the list answers), then checked with the server.
      const listed: NoteShare = { id: share.id, expiresAt: share.expiresAt, createdAt: share.createdAt };
      queryClient.setQueryData<NoteShare[]>(noteKeys.shares(noteId), (items) =>
        items && !items.some((s) => s.id === share.id) ? [listed, ...items] : items,
      );
      void queryClient.invalidateQueries({ queryKey: noteKeys.shares(noteId) });
      onSuccess?.(share);
    },
  });
}
