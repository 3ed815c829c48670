import { DomainError, GrpcStatus } from '@micronote/server-core';

export const UserErrors = {
  notFound: () => new DomainError('USER_NOT_FOUND', 'User not found', GrpcStatus.NOT_FOUND),
  /** One message for an unknown login and a wrong password: no account enumeration. */
  invalidCredentials: () => new DomainError('INVALID_CREDENTIALS', 'Invalid login or password', GrpcStatus.UNAUTHENTICATED),
  wrongPassword: () => new DomainError('WRONG_PASSWORD', 'Password is incorrect', GrpcStatus.PERMISSION_DENIED),
  emailTaken: () => new DomainError('EMAIL_TAKEN', 'Email is already registered', GrpcStatus.ALREADY_EXISTS),
  usernameTaken: () => new DomainError('USERNAME_TAKEN', 'Username is already taken', GrpcStatus.ALREADY_EXISTS),
  invalid: (message: string) => new DomainError('VALIDATION_FAILED', message, GrpcStatus.INVALID_ARGUMENT),
};
