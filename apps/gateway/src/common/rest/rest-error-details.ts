import { ErrorCode } from '@micronote/contracts';
import type { notesV1, todosV1 } from '@micronote/proto';
import type { HttpErrorBody } from '@micronote/server-core';

import { toRestMergeHunk, toRestNote, toRestTodo } from './rest-shapes';

/**
 * Error details the services send as proto messages (in the `mn-error-details` metadata), made
 * REST here: a version conflict's `current` is the stored note or todo in its REST shape.
 */
const REST_DETAILS: Partial<Record<string, (body: HttpErrorBody) => Record<string, unknown>>> = {
  [ErrorCode.NoteVersionConflict]: (body) => {
    const { current } = body as unknown as notesV1.NoteVersionConflict;
    return current ? { current: toRestNote(current) } : {};
  },
  [ErrorCode.MergeConflict]: (body) => {
    const { current, base, conflicts } = body as unknown as notesV1.NoteMergeConflict;
    return {
      // (a service-side detail: the gateway reads `base` with it when the notes were left out)
      baseVersion: undefined,
      ...(current && { current: toRestNote(current) }),
      ...(base && { base: toRestNote(base) }),
      conflicts: (conflicts ?? []).map(toRestMergeHunk),
    };
  },
  [ErrorCode.TodoVersionConflict]: (body) => {
    const { current } = body as unknown as todosV1.TodoVersionConflict;
    return current ? { current: toRestTodo(current) } : {};
  },
};

/** The error body with its proto details in REST shape (unchanged for codes without such details). */
export function withRestDetails(body: HttpErrorBody): HttpErrorBody {
  const toRest = REST_DETAILS[body.code];
  return toRest ? { ...body, ...toRest(body) } : body;
}
