/** REST shapes of the MicroNote API (see the OpenAPI document at /api/docs). Types only. */

export interface User {
  id: string;
  name: string;
  email: string;
  username: string;
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
 * day); the todo is overdue once that instant has passed and it is not completed.
 */
export interface Todo {
  id: string;
  text: string;
  completed: boolean;
  priority: TodoPriority;
  dueDate: string | null;
  category: string | null;
  /** Set when `completed` turns true, cleared when it turns false. */
  completedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CreateTodoRequest {
  text: string;
  /** Default `medium`. */
  priority?: TodoPriority;
  dueDate?: string | null;
  category?: string | null;
}

export interface UpdateTodoRequest {
  text?: string;
  completed?: boolean;
  priority?: TodoPriority;
  /** `null` clears it. */
  dueDate?: string | null;
  /** `null` clears it. */
  category?: string | null;
  /** When given and not the stored version: 409 with the stored todo in `current`. */
  version?: number;
}

export interface ListTodosQuery {
  completed?: boolean;
  priority?: TodoPriority;
  category?: string;
  /** Todos due strictly before this instant. */
  dueBefore?: string;
  /** Todos due at or after this instant. */
  dueAfter?: string;
  overdue?: boolean;
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
