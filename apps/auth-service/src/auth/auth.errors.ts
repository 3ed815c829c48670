import { tokenInvalid } from '@micronote/auth-session';
import { DomainError, GrpcStatus } from '@micronote/server-core';

export const AuthErrors = {
  tokenInvalid,
  refreshReused: () =>
    new DomainError('REFRESH_TOKEN_REUSED', 'Refresh token was already used; the session has been revoked', GrpcStatus.UNAUTHENTICATED),
  sessionNotFound: () => new DomainError('SESSION_NOT_FOUND', 'Session not found', GrpcStatus.NOT_FOUND),
};
