import { ErrorCode } from '@micronote/contracts';
import type { todosV1 } from '@micronote/proto';
import { DomainError, GrpcStatus } from '@micronote/server-core';
import { invalidInput, quotaExceeded } from '@micronote/server-data';

export const TodoErrors = {
  notFound: () => new DomainError('TODO_NOT_FOUND', 'Todo not found', GrpcStatus.NOT_FOUND),
  /** Details: the proto `TodoVersionConflict` (the stored todo); the gateway answers its REST shape, as for notes. */
  versionConflict: (current: todosV1.Todo) =>
    new DomainError(ErrorCode.TodoVersionConflict, 'The todo was changed elsewhere; see `current`', GrpcStatus.ABORTED, {
      current,
    } satisfies todosV1.TodoVersionConflict),
  tooManyTodos: (limit: number) => quotaExceeded('todos', limit, `Todo quota reached: at most ${limit} todos per user`),
  invalid: invalidInput,
};
