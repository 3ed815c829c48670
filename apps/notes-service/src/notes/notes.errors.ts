import { ErrorCode } from '@micronote/contracts';
import type { notesV1 } from '@micronote/proto';
import { DomainError, GrpcStatus } from '@micronote/server-core';
import { invalidInput, quotaExceeded } from '@micronote/server-data';

export const NoteErrors = {
  notFound: () => new DomainError('NOTE_NOT_FOUND', 'Note not found', GrpcStatus.NOT_FOUND),
  /** Details: the proto `NoteVersionConflict` (the stored note); the gateway answers its REST shape, so the client can show both versions. */
  versionConflict: (current: notesV1.Note) =>
    new DomainError(ErrorCode.NoteVersionConflict, 'The note was changed elsewhere; see `current`', GrpcStatus.ABORTED, {
      current,
    } satisfies notesV1.NoteVersionConflict),
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
