import { ErrorCode, SHARING_LIMITS } from '@micronote/contracts';
import { DomainError, GrpcStatus } from '@micronote/server-core';

export const NoteMemberErrors = {
  /** A member whose role does not allow the action (a non-member gets NOTE_NOT_FOUND instead). */
  insufficientRole: (action: string) =>
    new DomainError(ErrorCode.InsufficientRole, `Your role in this note does not allow ${action}`, GrpcStatus.PERMISSION_DENIED),
  alreadyMember: () =>
    new DomainError(ErrorCode.AlreadyMember, 'That user is already invited to or a member of this note', GrpcStatus.ALREADY_EXISTS),
  tooMany: () =>
    new DomainError(
      ErrorCode.TooManyMembers,
      `At most ${SHARING_LIMITS.membersPerItem} people per note: remove one to invite another`,
      GrpcStatus.ALREADY_EXISTS,
    ),
  self: () => new DomainError(ErrorCode.CannotShareWithSelf, 'You own this note: invite someone else', GrpcStatus.INVALID_ARGUMENT),
  notFound: () => new DomainError(ErrorCode.MemberNotFound, 'No such member of this note', GrpcStatus.NOT_FOUND),
  noInvitation: () => new DomainError(ErrorCode.MemberNotFound, 'No invitation to this note is waiting for you', GrpcStatus.NOT_FOUND),
};
