import { ErrorCode } from '@micronote/contracts';
import { DomainError, GrpcStatus } from '@micronote/server-core';

export const UserErrors = {
  notFound: () => new DomainError('USER_NOT_FOUND', 'User not found', GrpcStatus.NOT_FOUND),
  /** One message for an unknown login and a wrong password: no account enumeration. */
  invalidCredentials: () => new DomainError('INVALID_CREDENTIALS', 'Invalid login or password', GrpcStatus.UNAUTHENTICATED),
  wrongPassword: () => new DomainError(ErrorCode.WrongPassword, 'Password is incorrect', GrpcStatus.PERMISSION_DENIED),
  emailTaken: () => new DomainError('EMAIL_TAKEN', 'Email is already registered', GrpcStatus.ALREADY_EXISTS),
  usernameTaken: () => new DomainError('USERNAME_TAKEN', 'Username is already taken', GrpcStatus.ALREADY_EXISTS),
  /** The credential lock of this account and address is spent (HTTP 429 + Retry-After). */
  tooManyAttempts: (message: string, retryAfterSeconds: number) =>
    new DomainError('RATE_LIMITED', message, GrpcStatus.RESOURCE_EXHAUSTED, { retryAfter: retryAfterSeconds }),
  currentPasswordRequired: () =>
    new DomainError('CURRENT_PASSWORD_REQUIRED', 'currentPassword is required to change the email', GrpcStatus.INVALID_ARGUMENT),
  invalid: (message: string) => new DomainError(ErrorCode.ValidationFailed, message, GrpcStatus.INVALID_ARGUMENT),
};
