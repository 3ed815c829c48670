import { DomainError, GrpcStatus } from '@micronote/server-core';
import { quotaExceeded } from '@micronote/server-data';

export const NoteShareErrors = {
  /** A share id that is not (or no longer) a link of this note. */
  notFound: () => new DomainError('SHARE_NOT_FOUND', 'Share link not found', GrpcStatus.NOT_FOUND),
  /** The public read: the same answer for a token never made, revoked, expired, or a trashed or deleted note. */
  linkGone: () => new DomainError('SHARE_NOT_FOUND', 'This link does not exist, was revoked or has expired', GrpcStatus.NOT_FOUND),
  tooMany: (limit: number) => quotaExceeded('shares', limit, `At most ${limit} active share links per note: revoke one to make another`),
};
