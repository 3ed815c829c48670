import { ErrorCode, ID_PATTERN } from '@micronote/contracts';
import { DomainError, GrpcStatus } from '@micronote/server-core';

/** A row id (note, todo, user) as every service and the gateway accept it: see ID_PATTERN. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Bad input of a call: 400 VALIDATION_FAILED at the gateway. */
export function invalidInput(message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, message, GrpcStatus.INVALID_ARGUMENT);
}

/**
 * The caller's user id (set by the gateway from the session, checked against the call's signed
 * identity): a malformed one is a caller's bug, INVALID_ARGUMENT, in every method of every service.
 */
export function checkUserId(userId: string): string {
  if (!isId(userId)) throw invalidInput('userId must be a positive integer');
  return userId;
}
