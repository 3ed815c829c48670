/**
 * Error codes (the `code` field of error bodies) that more than one project names: the one owner
 * of each spelling. Every other code is owned by the `<domain>.errors.ts` that raises it.
 */
export const ErrorCode = {
  /** 400: malformed input (a bad id, a value out of range); raised by the gateway and the services alike. */
  ValidationFailed: 'VALIDATION_FAILED',
  /** 403 on a wrong current password (account deletion, password change); the SPA tells the user. */
  WrongPassword: 'WRONG_PASSWORD',
  /** 409: the `version` sent is stale; the body's `current` is the note (todo) as stored. */
  NoteVersionConflict: 'NOTE_VERSION_CONFLICT',
  TodoVersionConflict: 'TODO_VERSION_CONFLICT',
  /** 409 on a PATCH with `baseVersion`: the edits overlap; the body is a `MergeConflictBody`. */
  MergeConflict: 'MERGE_CONFLICT',
  /** 409 on a checklist tick: no task item with that text is left in the note. */
  TaskNotFound: 'TASK_NOT_FOUND',
  /** 403: a per-user quota (notes, bytes of notes, todos) is used up; `quota` and `limit` in the body say which. */
  QuotaExceeded: 'QUOTA_EXCEEDED',
  /** 403: a member of a shared note or list whose role does not allow the action (a viewer's write, an editor's delete or share). */
  InsufficientRole: 'INSUFFICIENT_ROLE',
  /** 409 on an invite: the user already is a member (pending or accepted). */
  AlreadyMember: 'ALREADY_MEMBER',
  /** 409 on an invite: the note or list has SHARING_LIMITS.membersPerItem members. */
  TooManyMembers: 'TOO_MANY_MEMBERS',
  /** 400 on an invite of the owner themselves. */
  CannotShareWithSelf: 'CANNOT_SHARE_WITH_SELF',
  /** 404: no such member (PATCH/DELETE of a member), or no pending invitation to accept. */
  MemberNotFound: 'MEMBER_NOT_FOUND',
  /** 400 on `POST /api/push/subscriptions`: the endpoint is not an https URL of a public host (the server POSTs to it). */
  PushEndpointRefused: 'PUSH_ENDPOINT_REFUSED',
  /** 401 on `POST /api/push/actions`: the action token is forged, expired or malformed. */
  PushActionTokenInvalid: 'PUSH_ACTION_TOKEN_INVALID',
  /** 503 on `GET /api/push/key`: this deployment has no VAPID keys (Web Push is off). */
  PushNotConfigured: 'PUSH_NOT_CONFIGURED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
