import type { RenameTagRequest, RenameTagResponse } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { noteKeys } from './note-keys';

export const renameTag = (input: RenameTagRequest): Promise<RenameTagResponse> =>
  api.post<RenameTagResponse>('/api/notes/tags/rename', input);

/**
 * Renames a tag and its children on every note (into an existing tag: a merge). The answer is
 * only a count, and this tab skips the echo of its own NOTE_UPDATED events, so everything cached
 * about notes (lists, tags, the open note) is refetched.
 */
export function useRenameTag({ onSuccess }: { onSuccess?: (result: RenameTagResponse, input: RenameTagRequest) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: renameTag,
    // The dialog shows the error under the field.
    meta: { silent: true },
    onSuccess: (result, input) => {
      void queryClient.invalidateQueries({ queryKey: noteKeys.all });
      onSuccess?.(result, input);
    },
  });
}
