import type { todosV1 } from '@micronote/proto';
import { DomainError, GrpcStatus } from '@micronote/server-core';
import { invalidInput, quotaExceeded } from '@micronote/server-data';

export const TodoErrors = {
  notFound: () => new DomainError('TODO_NOT_FOUND', 'Todo not found', GrpcStatus.NOT_FOUND),
  /** Details carry the stored todo in its REST shape (unset fields as null), as notes-service does. */
  versionConflict: (current: todosV1.Todo) =>
    new DomainError('TODO_VERSION_CONFLICT', 'The todo was changed elsewhere; see `current`', GrpcStatus.ABORTED, {
      current: {
        ...current,
        dueDate: current.dueDate ?? null,
        category: current.category ?? null,
        completedAt: current.completedAt ?? null,
      },
    }),
  tooManyTodos: (limit: number) => quotaExceeded('todos', limit, `Todo quota reached: at most ${limit} todos per user`),
  invalid: invalidInput,
};
