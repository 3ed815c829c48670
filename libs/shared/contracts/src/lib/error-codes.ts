/** Stable error codes of the API (the `code` field of error bodies). */
export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  InvalidCredentials: 'INVALID_CREDENTIALS',
  TokenInvalid: 'TOKEN_INVALID',
  RefreshTokenReused: 'REFRESH_TOKEN_REUSED',
  WrongPassword: 'WRONG_PASSWORD',
  EmailTaken: 'EMAIL_TAKEN',
  UsernameTaken: 'USERNAME_TAKEN',
  UserNotFound: 'USER_NOT_FOUND',
  SessionNotFound: 'SESSION_NOT_FOUND',
  /** 403: a per-user quota (notes, bytes of notes, todos) is used up; `quota` and `limit` in the body say which. */
  QuotaExceeded: 'QUOTA_EXCEEDED',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
