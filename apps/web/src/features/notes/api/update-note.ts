import type { UpdatedNote, UpdateNoteRequest } from '@micronote/contracts';

import { api } from '../../../lib/api-client';

export interface UpdateNoteInput {
  id: string;
  patch: UpdateNoteRequest;
}

/**
 * A partial update. With `patch.baseVersion` (what the editor sends) a stale edit is merged by the
 * server (`merged: true`) or, where the edits overlap, a 409 MERGE_CONFLICT (MergeConflictBody);
 * with `patch.version` a stale copy is a 409 whose body carries the stored note in `current`. The
 * editor's saves (text, pin, archive) go through useNoteAutosave, which queues them, puts the
 * answer in the cache (upsertNoteInCache) and handles the 409.
 */
export const updateNote = ({ id, patch }: UpdateNoteInput): Promise<UpdatedNote> =>
  api.patch<UpdatedNote>(`/api/notes/${encodeURIComponent(id)}`, patch);
