import type { BulkItemResult, BulkResponse, NoteBulkRequest } from '@micronote/contracts';
import { NOTE_LIMITS } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { noteKeys } from './note-keys';

/** One bulk action; more ids than one request takes go in several requests, one after the other. */
export async function bulkNotes(input: NoteBulkRequest): Promise<BulkItemResult[]> {
  const items: BulkItemResult[] = [];
  for (let i = 0; i < input.ids.length; i += NOTE_LIMITS.bulk.maxIds) {
    const ids = input.ids.slice(i, i + NOTE_LIMITS.bulk.maxIds);
    items.push(...(await api.post<BulkResponse>('/api/notes/bulk', { ...input, ids })).items);
  }
  return items;
}

/**
 * The answer says only how each id fared, and this tab skips the echo of its own events: every
 * cached note query (lists, tags, the open note) refetches.
 */
export function useBulkNotes({ onSuccess }: { onSuccess?: (items: BulkItemResult[], input: NoteBulkRequest) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: bulkNotes,
    onSuccess: (items, input) => {
      void queryClient.invalidateQueries({ queryKey: noteKeys.all });
      onSuccess?.(items, input);
    },
    // Some requests of a large selection may have gone through before one failed.
    onError: () => void queryClient.invalidateQueries({ queryKey: noteKeys.all }),
  });
}
