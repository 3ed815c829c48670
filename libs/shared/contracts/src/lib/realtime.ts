import type { Note, Todo, User } from './api';
import type { CollabServerToClientEvents } from './collab';
import type { AppNotification, MemberRole, MemberStatus, TodoList } from './sharing';

/** Types of the realtime `event`. */
export const EventType = {
  NoteCreated: 'NOTE_CREATED',
  NoteUpdated: 'NOTE_UPDATED',
  NoteDeleted: 'NOTE_DELETED',
  TodoCreated: 'TODO_CREATED',
  TodoUpdated: 'TODO_UPDATED',
  TodoCompleted: 'TODO_COMPLETED',
  TodoDeleted: 'TODO_DELETED',
  UserUpdated: 'USER_UPDATED',
  /** A note's share links changed (created or revoked): `noteId`. */
  NoteShared: 'NOTE_SHARED',
  /** A tag was renamed (each note changed also has its own NOTE_UPDATED): `from`, `to`. */
  TagsRenamed: 'TAGS_RENAMED',
  /** Who a note is shared with changed (invited, accepted, role, removed, left): `noteId`, to the owner and every member concerned. */
  NoteMembersChanged: 'NOTE_MEMBERS_CHANGED',
  /** A todo list was created, renamed or its members changed: `list`; deleted: `listId` only. */
  TodoListUpdated: 'TODO_LIST_UPDATED',
  TodoListDeleted: 'TODO_LIST_DELETED',
  /** A new in-app notification: `notification`. */
  Notification: 'NOTIFICATION',
  /** A todo's reminder is due: `todoId`, `todo`, `late` (it fired more than a few seconds after `remindAt`). Once per reminder. */
  Reminder: 'REMINDER',
} as const;

export type EventType = (typeof EventType)[keyof typeof EventType];

/**
 * One change to a user's data, sent to every connection of that user. `id` grows per user
 * (`<ms>-<seq>`, compare with `compareEventIds`); `clientId` is the `X-Client-Id` of the tab
 * whose write caused it, so that tab can skip its own echo.
 *
 * The changed entity (`note`, `todo`, `user`) rides along only while the event's JSON is at most
 * `EVENT_MAX_BYTES`; a larger one comes with its id (`noteId`/`todoId`), `version` and
 * `truncated: true` instead, and the client fetches the entity by id.
 */
export interface ChangeEvent {
  id: string;
  type: EventType;
  userId: string;
  /** ISO-8601 time of the change. */
  at: string;
  clientId?: string;
  note?: Note;
  noteId?: string;
  todo?: Todo;
  todoId?: string;
  user?: User;
  /** The entity was too large to carry: fetch it by `noteId`/`todoId` (a 404 then means it is gone). */
  truncated?: true;
  /** With `truncated`: the entity's version after this change (a cached copy at this version or later is current). */
  version?: number;
  /** TODO_LIST_*: the list (as the receiving user sees it), or its id. */
  list?: TodoList;
  listId?: string;
  /**
   * NOTE_MEMBERS_CHANGED / TODO_LIST_UPDATED after a membership change: whose membership changed and
   * how (`role: null`: removed, declined or left). A gateway ends that user's live session in the
   * note when it sees `role: null`, and downgrades it on `viewer`.
   */
  member?: { userId: string; role: MemberRole | null; status: MemberStatus | null };
  /** NOTIFICATION. */
  notification?: AppNotification;
  /** REMINDER: it fired late (every scheduler was down at `todo.remindAt`). */
  late?: boolean;
  /** TAGS_RENAMED: the old and the new name. */
  from?: string;
  to?: string;
}

/** Largest event JSON (bytes) that carries its entity; see `ChangeEvent.truncated`. */
export const EVENT_MAX_BYTES = 8 * 1024;

/** Why the server ends a connection (sent as `unauthorized` before it disconnects). */
export interface UnauthorizedNotice {
  reason: 'token_expired' | 'session_revoked' | 'invalid_token';
}

/**
 * Why the server refuses a socket.io handshake (the `connect_error` message): no valid token, the
 * token check is unavailable, this IP opened too many sockets in the last minute
 * (WS_HANDSHAKE_RATE_LIMIT), or the user already has WS_MAX_PER_USER open sockets.
 */
export const HandshakeRefusal = {
  Unauthorized: 'unauthorized',
  Unavailable: 'unavailable',
  RateLimited: 'rate_limited',
  TooManyConnections: 'too_many_connections',
} as const;

export type HandshakeRefusal = (typeof HandshakeRefusal)[keyof typeof HandshakeRefusal];

/** socket.io events the server sends (the collab:* ones: see collab.ts). */
export interface ServerToClientEvents extends CollabServerToClientEvents {
  event: (event: ChangeEvent) => void;
  /** The missed events are no longer all kept: refetch everything. */
  resync: () => void;
  /** The token expired or the session was revoked; the server disconnects right after. */
  unauthorized: (notice: UnauthorizedNotice) => void;
}

/** The `auth` of the socket.io handshake. */
export interface RealtimeHandshake {
  token: string;
  /** The id of the last event this client has seen: the server sends everything after it first. */
  lastEventId?: string;
}

/** Orders two event ids (`<ms>-<seq>`): negative, zero or positive. */
export function compareEventIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}

export const EVENT_ID_PATTERN = /^\d{1,15}-\d{1,10}$/;
