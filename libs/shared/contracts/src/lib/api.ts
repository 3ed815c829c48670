import type { NoteAccess } from './sharing';

/** REST shapes of the MicroNote API (see the OpenAPI document at /api/docs). Types only. */

export interface User {
  id: string;
  name: string;
  email: string;
  username: string;
  /** IANA time zone (`Europe/Berlin`) the todo views and due times use; null: the browser's (`X-Time-Zone`), else UTC. */
  timeZone: string | null;
  /** BCP 47 language tag (`de-DE`) for dates and numbers; null: the browser's. */
  locale: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Register, login and refresh. The refresh token is also set as the HttpOnly cookie
 * `micronote_refresh` (Path=/api/auth), which is all a browser needs.
 */
export interface AuthResponse {
  user: User;
  accessToken: string;
  refreshToken: string;
  /** Access-token lifetime in seconds. */
  expiresIn: number;
}

/** A refresh made with the cookie: the new refresh token is in the cookie only, never readable by a script. */
export type CookieAuthResponse = Omit<AuthResponse, 'refreshToken'>;

export interface RegisterRequest {
  name: string;
  email: string;
  username: string;
  password: string;
}

export interface LoginRequest {
  /** Username or e-mail (case-insensitive). */
  login: string;
  password: string;
}

/** Without a body field the refresh cookie is used. */
export interface RefreshRequest {
  refreshToken?: string;
}

/** Without a body field the refresh cookie (if any) is ended too. */
export interface LogoutRequest {
  refreshToken?: string;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string;
  current: boolean;
}

export interface UpdateProfileRequest {
  name?: string;
  email?: string;
  username?: string;
  /** An IANA zone name (`America/New_York`); `null` clears it. */
  timeZone?: string | null;
  /** A BCP 47 tag (`en-GB`); `null` clears it. */
  locale?: string | null;
  /** Required when `email` changes. */
  currentPassword?: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface DeleteAccountRequest {
  password: string;
}

export interface ItemsResponse<T> {
  items: T[];
}

export interface Page<T> extends ItemsResponse<T> {
  nextCursor: string | null;
}

/** Every error response. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  /** Stable machine-readable code, e.g. NOTE_NOT_FOUND. */
  code: string;
  requestId?: string;
  /** Set on 5xx; the same id is in the server log. */
  errorId?: string;
}

export interface Note {
  id: string;
  title: string;
  text: string;
  tags: string[];
  isPinned: boolean;
  isArchived: boolean;
  /** Starts at 1, grows by one on every change. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Set while the note is in the trash. */
  deletedAt: string | null;
  /** Only on a note shared with people (yours or someone else's): your role, the owner, how many members. */
  access?: NoteAccess;
}

export interface CreateNoteRequest {
  title: string;
  text: string;
  tags?: string[];
  isPinned?: boolean;
}

export interface UpdateNoteRequest {
  title?: string;
  text?: string;
  tags?: string[];
  isPinned?: boolean;
  isArchived?: boolean;
  /** When sent and not the stored version: 409 with the current note in `current`. */
  version?: number;
  /**
   * The version this edit started from (instead of `version`). If the note moved on since, the
   * server three-way merges title, text (by line) and tags against that revision: a clean merge
   * answers 200 with `merged: true`, overlapping edits 409 `MERGE_CONFLICT` (`MergeConflictBody`).
   */
  baseVersion?: number;
}

/** The answer of a PATCH: the note, with `merged: true` when the server merged a stale edit in. */
export type UpdatedNote = Note & { merged?: true };

/** One overlapping hunk of a failed merge: 0-based, end-exclusive line ranges of each side's text. */
export interface MergeConflictHunk {
  field: 'title' | 'text';
  base: LineRange;
  /** The edit the request sent. */
  mine: LineRange;
  /** The note as stored now (`current`). */
  theirs: LineRange;
}

export interface LineRange {
  start: number;
  end: number;
}

/** The body of 409 MERGE_CONFLICT: the stored note, the merge base, and where the edits overlap. */
export interface MergeConflictBody extends ApiErrorBody {
  code: 'MERGE_CONFLICT';
  current: Note;
  base: Note;
  conflicts: MergeConflictHunk[];
}

/** `POST /api/notes/:id/tasks`: tick (or untick) a GFM task item found by its text. */
export interface TickTaskRequest {
  /** The item's position among the note's task items, as the client saw it (0-based). */
  index: number;
  /** The item's text as the client saw it (after `- [ ] `). */
  text: string;
  checked: boolean;
}

/** An entry of `GET /api/notes/:id/revisions` (newest first). */
export interface NoteRevisionSummary {
  version: number;
  /** When this version was saved. */
  at: string;
  title: string;
  /** Bytes of the text (UTF-8). */
  size: number;
  /** The `X-Client-Id` of the tab that saved it, if any. */
  clientId: string | null;
}

/** `GET /api/notes/:id/revisions/:version`: the note as it was at that version. */
export interface NoteRevision {
  noteId: string;
  version: number;
  at: string;
  title: string;
  text: string;
  tags: string[];
  clientId: string | null;
}

/** `POST /api/notes/tags/rename`: renames `from` and its children (`from/...`) on every note. */
export interface RenameTagRequest {
  from: string;
  to: string;
}

export interface RenameTagResponse {
  /** Notes changed (each one a new version with its own event). */
  notes: number;
}

/** `POST /api/notes/:id/shares`. */
export interface CreateShareRequest {
  /** ISO-8601; omitted or null: the link never expires. */
  expiresAt?: string | null;
}

/** A public read-only link to a note. `token` and `url` are answered once, on creation. */
export interface NoteShare {
  id: string;
  expiresAt: string | null;
  createdAt: string;
}

export interface CreatedNoteShare extends NoteShare {
  token: string;
  /** The SPA's `/s/:token` page for this link. */
  url: string;
}

/** `GET /api/public/notes/:token` (no auth). */
export interface PublicNote {
  title: string;
  text: string;
  updatedAt: string;
}

export const NOTE_BULK_ACTIONS = ['pin', 'unpin', 'archive', 'unarchive', 'trash', 'restore', 'delete', 'addTags', 'removeTags'] as const;
export type NoteBulkAction = (typeof NOTE_BULK_ACTIONS)[number];

/** `POST /api/notes/bulk`: each id succeeds or fails on its own. */
export interface NoteBulkRequest {
  ids: string[];
  action: NoteBulkAction;
  /** With addTags / removeTags. */
  tags?: string[];
}

export interface BulkItemResult {
  id: string;
  /** The HTTP status this item alone would have answered (200, 404, ...). */
  status: number;
  code?: string;
}

export type BulkResponse = ItemsResponse<BulkItemResult>;

/** `POST /api/users/me/import?from=`: the formats of other apps. */
export const IMPORT_SOURCES = ['keep', 'enex', 'markdown', 'todoist'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

export interface ImportFromAppResponse {
  notes: number;
  todos: number;
  /** Items found in the file that were already imported (or unusable, see `warnings`). */
  skipped: number;
  /** What was left out or changed, one line each (e.g. an attachment dropped). */
  warnings?: string[];
}

export interface NoteListQuery {
  q?: string;
  tag?: string;
  pinned?: boolean;
  archived?: boolean;
  trashed?: boolean;
  limit?: number;
  cursor?: string;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface NoteStats {
  total: number;
  pinned: number;
  archived: number;
  trashed: number;
  tags: number;
}

export type TodoPriority = 'low' | 'medium' | 'high';

/**
 * A todo. `dueDate` is a UTC instant (a date-only `YYYY-MM-DD` on input means 00:00 UTC of that
 * day); the todo is overdue once that instant has passed and it is not completed. With `allDay`
 * the todo is due on a calendar date, not at an instant: `dueDate` is that date at 00:00Z and it
 * is overdue once that day has ended in the user's time zone.
 */
export interface Todo {
  id: string;
  text: string;
  completed: boolean;
  priority: TodoPriority;
  dueDate: string | null;
  /** Due on the date of `dueDate`, no time of day (false when there is no `dueDate`). */
  allDay: boolean;
  category: string | null;
  /** Set when `completed` turns true, cleared when it turns false. */
  completedAt: string | null;
  /** The todo list it is in (null: none). A todo in a list is the list owner's. */
  listId: string | null;
  /** The todo this one is a subtask of (one level: a subtask has no subtasks). */
  parentId: string | null;
  /** Fractional index among its siblings; sorts as bytes (`order=manual`). */
  position: string;
  /** Its subtasks (zeros on a subtask). */
  subtasks: { total: number; completed: number };
  /** An RFC 5545 RRULE (`FREQ=WEEKLY;BYDAY=MO`): completing it moves `dueDate` to the next occurrence. */
  recurrence: string | null;
  /**
   * When the owner is reminded (a REMINDER event to every open tab and a Web Push to every
   * subscribed browser), once; it stays set after it fired. Completing the todo cancels it; a
   * recurring todo's reminder moves with its due date.
   */
  remindAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CreateTodoRequest {
  text: string;
  /** Default `medium`. */
  priority?: TodoPriority;
  dueDate?: string | null;
  /** Default: true when `dueDate` is a date without a time. */
  allDay?: boolean;
  category?: string | null;
  /** Make it a subtask of this todo (which must be a top-level todo you can edit). */
  parentId?: string | null;
  /** An RRULE (needs `dueDate`); the due time's wall clock is kept in your time zone (`X-Time-Zone`). */
  recurrence?: string | null;
  /** An ISO-8601 instant (as `dueDate` with a time). */
  remindAt?: string | null;
}

export interface UpdateTodoRequest {
  text?: string;
  completed?: boolean;
  priority?: TodoPriority;
  /** `null` clears it. */
  dueDate?: string | null;
  allDay?: boolean;
  /** `null` clears it. */
  category?: string | null;
  /** Move it under another top-level todo; `null` makes it top-level. */
  parentId?: string | null;
  /** `null`: it stops repeating. */
  recurrence?: string | null;
  /** A new reminder (it fires once at that time, even if an earlier one fired); `null` removes it. */
  remindAt?: string | null;
  /** When given and not the stored version: 409 with the stored todo in `current`. */
  version?: number;
}

/** `GET /api/todos/:id/completions`: one completed occurrence of a recurring todo, newest first. */
export interface TodoCompletion {
  id: string;
  /** The due date that occurrence had. */
  dueDate: string | null;
  completedAt: string;
  completedBy: string | null;
}

/** `POST /api/todos/:id/snooze`: remind again `minutes` from now (default 10). */
export interface SnoozeTodoRequest {
  minutes?: number;
}

/** `GET /api/push/key`: the VAPID public key (base64url) for `PushManager.subscribe`'s applicationServerKey. */
export interface PushKeyResponse {
  publicKey: string;
}

/** `POST /api/push/subscriptions` (201): a browser's `PushSubscription.toJSON()`; `DELETE` takes `{endpoint}` (204). */
export interface PushSubscriptionRequest {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/**
 * The JSON payload of a reminder's Web Push (what the service worker receives): the todo, and
 * whether it fired late.
 */
export interface ReminderPushPayload {
  type: 'REMINDER';
  todoId: string;
  text: string;
  remindAt: string;
  dueDate: string | null;
  late: boolean;
  /**
   * Lets the service worker act on this reminder without a session (`POST /api/push/actions`):
   * signed by user-service for this user, todo and reminder, valid 24 h. Set by the push worker.
   */
  actionToken?: string;
}

/** `POST /api/push/actions` (no session: the token is the proof): a notification button's action. */
export interface PushActionRequest {
  token: string;
  action: PushAction;
}

/** What a reminder's buttons do: complete the todo, or remind again in 10 minutes. */
export type PushAction = 'done' | 'snooze';

/** `POST /api/todos/:id/move`: between two siblings (either may be left out at an end of the list). */
export interface MoveTodoRequest {
  after?: string | null;
  before?: string | null;
}

export const TODO_BULK_ACTIONS = ['complete', 'reopen', 'delete', 'update'] as const;
export type TodoBulkAction = (typeof TODO_BULK_ACTIONS)[number];

/** `POST /api/todos/bulk`: each id succeeds or fails on its own (answered as a `BulkResponse`). */
export interface TodoBulkRequest {
  ids: string[];
  action: TodoBulkAction;
  /** With `update` (at least one): what every todo gets. */
  fields?: Pick<UpdateTodoRequest, 'priority' | 'dueDate' | 'allDay' | 'category'>;
}

/** `today`: open and due today or overdue; `upcoming`: open and due in the next 7 days (the user's zone). */
export type TodoView = 'today' | 'upcoming';

export interface ListTodosQuery {
  completed?: boolean;
  priority?: TodoPriority;
  category?: string;
  /** Todos due strictly before this instant. */
  dueBefore?: string;
  /** Todos due at or after this instant. */
  dueAfter?: string;
  overdue?: boolean;
  view?: TodoView;
  /** `manual`: by `position`; default: as in API.md. */
  order?: 'manual';
  /** The subtasks of this todo instead of the top-level todos. */
  parentId?: string;
  limit?: number;
  cursor?: string;
}

export interface TodoStats {
  total: number;
  completed: number;
  pending: number;
  overdue: number;
  /** completed / total, 0..1 (0 when there are no todos). */
  completionRate: number;
  byPriority: Record<TodoPriority, number>;
  byCategory: Record<string, number>;
}
