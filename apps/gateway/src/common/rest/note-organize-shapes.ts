import type { BulkItemResult, CreatedNoteShare, NoteShare, PublicNote } from '@micronote/contracts';
import type { notesV1, todosV1 } from '@micronote/proto';
import { httpStatusFromGrpc } from '@micronote/server-core';

// The REST shapes of the organising RPCs (share links, bulk results of notes and todos), made at the edge like rest-shapes.ts.

export function toRestNoteShare(share: notesV1.NoteShare): NoteShare {
  return { id: share.id, expiresAt: share.expiresAt ?? null, createdAt: share.createdAt };
}

/** The created link: its token once, and the SPA's `/s/<token>` page under the site's origin. */
export function toRestCreatedShare(created: notesV1.CreatedNoteShare, origin: string): CreatedNoteShare {
  if (!created.share) throw new Error('CreateNoteShare answered without its share');
  return { ...toRestNoteShare(created.share), token: created.token, url: `${origin}/s/${encodeURIComponent(created.token)}` };
}

/** A shared note as a link shows it: title, text and when it last changed, nothing else. */
export function toRestPublicNote(note: notesV1.SharedNote): PublicNote {
  return { title: note.title, text: note.text, updatedAt: note.updatedAt };
}

/**
 * One bulk item: the HTTP status its single call would have answered (the one gRPC → HTTP table;
 * 204 for trash and delete, like `DELETE /api/notes/:id`) and, on failure, the domain code.
 */
export function toRestBulkItem(item: notesV1.BulkNoteResult | todosV1.BulkTodoResult, successStatus: number): BulkItemResult {
  if (item.grpcCode === 0) return { id: item.id, status: successStatus };
  return { id: item.id, status: httpStatusFromGrpc(item.grpcCode), code: item.code || undefined };
}
