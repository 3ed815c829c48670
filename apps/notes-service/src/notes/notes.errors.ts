import { ErrorCode } from '@micronote/contracts';
import type { notesV1 } from '@micronote/proto';
import { asciiJson, DomainError, ERROR_DETAILS_MAX_BYTES, GrpcStatus } from '@micronote/server-core';
import { invalidInput, quotaExceeded } from '@micronote/server-data';

/** Details as they fit in the error metadata: without the notes (the gateway reads them back) when they would not. */
const fitting = <T extends object>(details: T, without: Partial<T>): Record<string, unknown> =>
  ({ ...details, ...(asciiJson(details).length > ERROR_DETAILS_MAX_BYTES && without) }) as Record<string, unknown>;

export const NoteErrors = {
  notFound: () => new DomainError('NOTE_NOT_FOUND', 'Note not found', GrpcStatus.NOT_FOUND),
  /** Details: the proto `NoteVersionConflict` (the stored note); the gateway answers its REST shape, so the client can show both versions. */
  versionConflict: (current: notesV1.Note, message = 'The note was changed elsewhere; see `current`') =>
    new DomainError(
      ErrorCode.NoteVersionConflict,
      message,
      GrpcStatus.ABORTED,
      fitting<notesV1.NoteVersionConflict>({ current }, { current: undefined }),
    ),
  /** Details: the proto `NoteMergeConflict`: the stored note, the merge base and the overlapping hunks. */
  mergeConflict: (current: notesV1.Note, base: notesV1.Note, conflicts: notesV1.MergeConflictHunk[]) =>
    new DomainError(
      ErrorCode.MergeConflict,
      'The edit overlaps changes made since its baseVersion; see `current`, `base` and `conflicts`',
      GrpcStatus.ABORTED,
      fitting<notesV1.NoteMergeConflict>({ current, base, conflicts, baseVersion: base.version }, { current: undefined, base: undefined }),
    ),
  taskNotFound: () => new DomainError(ErrorCode.TaskNotFound, 'No task item with that text is left in the note', GrpcStatus.ABORTED),
  revisionNotFound: () => new DomainError('REVISION_NOT_FOUND', 'No revision of the note at that version is kept', GrpcStatus.NOT_FOUND),
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
