import type { Note, UpdateNoteRequest } from '@micronote/contracts';

import { api } from '../../../lib/api-client';

export interface UpdateNoteInput {
  id: string;
  patch: UpdateNoteRequest;
}

/**
 * A partial update; with `patch.version` a stale copy is a 409 whose body carries the stored note
 * in `current`. The editor's saves (text, pin, archive) go through useNoteAutosave, which queues
 * them, puts the answer in the cache (upsertNoteInCache) and handles the 409.
 */
export const updateNote = ({ id, patch }: UpdateNoteInput): Promise<Note> => api.patch<Note>(`/api/notes/${encodeURIComponent(id)}`, patch);
