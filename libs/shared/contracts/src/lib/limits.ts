/** Input limits of the REST contract, shared by the gateway's DTOs, the services and the SPA. Lengths count Unicode code points (what a utf8mb4 VARCHAR counts). */

/** A row id (note, todo, user): a positive BIGINT written in decimal, no sign, no leading zero. The gateway's id pipe and every service check ids with it. */
export const ID_PATTERN = /^[1-9][0-9]{0,18}$/;

export const USER_LIMITS = {
  name: { min: 1, max: 50 },
  email: { max: 100 },
  username: { min: 3, max: 20, pattern: /^[A-Za-z0-9_]{3,20}$/ },
  password: { min: 8, max: 128 },
  /** An IANA zone name that `Intl` knows (`Europe/Berlin`, `UTC`). Also the `X-Time-Zone` header. */
  timeZone: { max: 64 },
  /** A BCP 47 language tag that `Intl` accepts (`en-GB`). */
  locale: { max: 35 },
} as const;

export const NOTE_LIMITS = {
  title: { min: 1, max: 100 },
  text: { max: 100_000 },
  tags: { maxCount: 20, min: 1, max: 30 },
  pageSize: { min: 1, max: 100, default: 20 },
  /** The search query `q` (after trimming). */
  query: { max: 200 },
  trashRetentionDays: 30,
  /** A tag `a/b` is a child of `a`; at most this many levels. */
  tagDepth: 5,
  revisions: {
    /** Every version is kept at least this long (any tab's copy can be a merge base). */
    keepAllHours: 24,
    /** After that, versions of one client within this many minutes are thinned to the last. */
    coalesceMinutes: 5,
    /** Kept: the last `keepLast` versions or `keepDays` days, whichever is more. */
    keepLast: 100,
    keepDays: 90,
    pageSize: 50,
  },
  bulk: { maxIds: 500 },
  shares: { maxPerNote: 20, tokenBytes: 32 },
  /** Import of other apps' files (`POST /api/users/me/import?from=`). */
  importFile: { maxBytes: 50 * 1024 * 1024 },
} as const;

/** Sharing with people (notes and todo lists alike). */
export const SHARING_LIMITS = {
  /** Members (pending and accepted) of one note or list, besides the owner. */
  membersPerItem: 50,
} as const;

export const TODO_LIMITS = {
  text: { min: 1, max: 200 },
  category: { min: 1, max: 30 },
  pageSize: { min: 1, max: 100, default: 20 },
  priorities: ['low', 'medium', 'high'],
  defaultPriority: 'medium',
  /**
   * `dueDate` (and the `dueBefore`/`dueAfter` filters): a calendar date `YYYY-MM-DD` (= 00:00 UTC
   * that day) or an ISO-8601 date-time with an optional offset (none = UTC), at most milliseconds
   * kept. Stored and returned as a UTC instant (`2026-05-01T00:00:00.000Z`).
   */
  dueDate: {
    pattern: /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
    minYear: 1000,
    maxYear: 9999,
  },
  /** Subtasks of one todo (one level: a subtask has none). */
  subtasksPerTodo: 200,
  /** A fractional index (`position`) never grows past this; the siblings are renumbered first. */
  position: { max: 512 },
  /** `view=upcoming`: today and the days after it, in the user's zone. */
  upcomingDays: 7,
  bulk: { maxIds: 500 },
  /** An RRULE (FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL); completions are listed 50 a page by default. */
  recurrence: { max: 200, maxInterval: 999, maxCount: 1000 },
  completionsPage: { min: 1, max: 100, default: 50 },
  /**
   * Reminders (`remindAt`, `POST /api/todos/:id/snooze`): a snooze is 1 minute to a week; a
   * reminder that fires more than `lateAfterMs` after its time (every scheduler was down) is
   * marked `late`.
   */
  reminder: { snoozeMinutes: { min: 1, max: 7 * 24 * 60, default: 10 }, lateAfterMs: 5_000 },
} as const;

/** Web Push subscriptions (`/api/push/subscriptions`). */
export const PUSH_LIMITS = {
  /** A push service URL (https). */
  endpoint: { max: 1024 },
  /** base64url keys of the browser's subscription (p256dh: 65 bytes, auth: 16 bytes). */
  p256dh: { max: 128 },
  auth: { max: 64 },
  /** Subscriptions of one user (browsers, devices); the oldest is dropped past it. */
  perUser: 20,
} as const;

/** In-app notifications (`/api/notifications`). */
export const NOTIFICATION_LIMITS = {
  pageSize: { min: 1, max: 50, default: 20 },
  /** Recipients of one event: every member of a shared item and its owner. */
  recipientsPerEvent: 51,
  subjectTitle: { max: 200 },
} as const;

/** Todo lists (`/api/lists`). */
export const TODO_LIST_LIMITS = {
  name: { min: 1, max: 100 },
  /** Lists a user owns. */
  maxPerUser: 200,
} as const;

/** Largest accepted request body, bytes (413 above). */
export const MAX_BODY_BYTES = 1_048_576;

/** A practical e-mail check (the gateway also applies class-validator's IsEmail). */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
