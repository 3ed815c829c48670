import { ErrorCode } from '@micronote/contracts';
import { DomainError, GrpcStatus } from '@micronote/server-core';
import { invalidInput, quotaExceeded } from '@micronote/server-data';

export const TodoListErrors = {
  /** Not a list, or not the caller's and not shared with them (accepted): 404, as for anyone else's todo. */
  notFound: () => new DomainError('LIST_NOT_FOUND', 'Todo list not found', GrpcStatus.NOT_FOUND),
  /** A member whose role does not allow the action. */
  insufficientRole: (needed: string) =>
    new DomainError(
      ErrorCode.InsufficientRole,
      `Your role in this list does not allow this (needs ${needed})`,
      GrpcStatus.PERMISSION_DENIED,
    ),
  memberNotFound: () => new DomainError('MEMBER_NOT_FOUND', 'No such member of this list', GrpcStatus.NOT_FOUND),
  alreadyMember: () => new DomainError('ALREADY_MEMBER', 'The user is a member of this list already', GrpcStatus.ALREADY_EXISTS),
  tooManyMembers: (limit: number) =>
    new DomainError('TOO_MANY_MEMBERS', `A list is shared with at most ${limit} people`, GrpcStatus.ALREADY_EXISTS),
  cannotShareWithSelf: () => new DomainError('CANNOT_SHARE_WITH_SELF', 'You own this list already', GrpcStatus.INVALID_ARGUMENT),
  tooManyLists: (limit: number) => quotaExceeded('lists', limit, `At most ${limit} todo lists per user`),
  invalid: invalidInput,
};
