import type { notesV1 } from '@micronote/proto';
import { DomainError, GrpcStatus, toRestNote } from '@micronote/server-core';
import { invalidInput, quotaExceeded } from '@micronote/server-data';

export const NoteErrors = {
  notFound: () => new DomainError('NOTE_NOT_FOUND', 'Note not found', GrpcStatus.NOT_FOUND),
  /** Details carry the stored note in its REST shape, so the client can show both versions. */
  versionConflict: (current: notesV1.Note) =>
    new DomainError('NOTE_VERSION_CONFLICT', 'The note was changed elsewhere; see `current`', GrpcStatus.ABORTED, {
      current: toRestNote(current),
    }),
  inTrash: () => new DomainError('NOTE_IN_TRASH', 'The note is in the trash: restore it first', GrpcStatus.FAILED_PRECONDITION),
  tooManyNotes: (limit: number) =>
    quotaExceeded('notes', limit, `Note quota reached: at most ${limit} notes per user (the trash counts; empty it to make room)`),
  tooManyBytes: (limit: number) =>
    quotaExceeded(
      'bytes',
      limit,
      `Storage quota reached: at most ${limit} bytes of notes per user (the trash counts; empty it to make room)`,
    ),
  invalid: invalidInput,
};
