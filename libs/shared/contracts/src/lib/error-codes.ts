/** Stable error codes of the API (the `code` field of error bodies). */
export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  InvalidCredentials: 'INVALID_CREDENTIALS',
  TokenInvalid: 'TOKEN_INVALID',
  RefreshTokenReused: 'REFRESH_TOKEN_REUSED',
  WrongPassword: 'WRONG_PASSWORD',
  /** PATCH /users/me with a new e-mail but no `currentPassword`. */
  CurrentPasswordRequired: 'CURRENT_PASSWORD_REQUIRED',
  /** 429 with Retry-After: a rate limit, or the failed-password lock of an account and address. */
  RateLimited: 'RATE_LIMITED',
  EmailTaken: 'EMAIL_TAKEN',
  UsernameTaken: 'USERNAME_TAKEN',
  UserNotFound: 'USER_NOT_FOUND',
  SessionNotFound: 'SESSION_NOT_FOUND',
  /** 409: the `version` sent is stale; the body's `current` is the note (todo) as stored. */
  NoteVersionConflict: 'NOTE_VERSION_CONFLICT',
  TodoVersionConflict: 'TODO_VERSION_CONFLICT',
  /** 403: a per-user quota (notes, bytes of notes, todos) is used up; `quota` and `limit` in the body say which. */
  QuotaExceeded: 'QUOTA_EXCEEDED',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
