import type { EventType, MemberRole, MemberStatus } from '@micronote/contracts';
import { EVENT_MAX_BYTES } from '@micronote/contracts';
import type { notesV1, todosV1, userV1 } from '@micronote/proto';

/**
 * Version of the event envelope below, carried in every event as `v`. Readers drop an envelope of
 * a version they do not know (an event without `v` predates the field and has the same shape).
 * Bump it when a field changes meaning; adding an optional field needs no bump.
 */
export const EVENT_ENVELOPE_VERSION = 1 as const;

export type NoteEventType = Extract<EventType, `NOTE_${string}`>;
export type TodoListEventType = Extract<EventType, `TODO_LIST_${string}`>;
export type TodoEventType = Exclude<Extract<EventType, `TODO_${string}`>, TodoListEventType>;

interface EnvelopeBase {
  v: typeof EVENT_ENVELOPE_VERSION;
  /** The stream id (`<ms>-<seq>`, growing per user): the event id. */
  id: string;
  userId: string;
  /** ISO-8601 time of the change. */
  at: string;
  /** The X-Client-Id of the write, when it had one. */
  clientId?: string;
  /** The entity was over EVENT_MAX_BYTES and left out: fetch it by id. */
  truncated?: true;
  /** With `truncated`: the entity's version after the change. */
  version?: number;
}

/** A note change, its payload the proto `Note` (fields as in `notes.v1.NoteEvent`). */
export interface NoteEventEnvelope extends EnvelopeBase {
  type: NoteEventType;
  noteId: notesV1.NoteEvent['noteId'];
  note?: notesV1.NoteEvent['note'];
  /** NOTE_MEMBERS_CHANGED: whose membership changed and how (`role: null`: removed, declined, left, account gone). */
  member?: { userId: string; role: MemberRole | null; status: MemberStatus | null };
}

/** A todo change, its payload the proto `Todo` (fields as in `todos.v1.TodoEvent`). */
export interface TodoEventEnvelope extends EnvelopeBase {
  type: TodoEventType;
  todoId: todosV1.TodoEvent['todoId'];
  todo?: todosV1.TodoEvent['todo'];
}

/**
 * A todo list change, to one receiver: `list` as that user sees it (their role), `listId` always;
 * `member` when a membership changed (whose, and how: `role: null` when it ended).
 */
export interface TodoListEventEnvelope extends EnvelopeBase {
  type: TodoListEventType;
  listId: string;
  list?: todosV1.TodoList;
  member?: { userId: string; role: 'viewer' | 'editor' | null; status: 'pending' | 'accepted' | null };
}

/** A todo's reminder, to its owner: once per reminder (the scheduler publishes it with `publishOnce`). */
export interface ReminderEventEnvelope extends EnvelopeBase {
  type: 'REMINDER';
  todoId: string;
  todo: todosV1.Todo;
  late: boolean;
}

/** A new in-app notification of `userId` (the recipient), its payload the proto `Notification`. */
export interface NotificationEventEnvelope extends EnvelopeBase {
  type: 'NOTIFICATION';
  notification: userV1.Notification;
}

/** A profile change, its payload the proto `User`. */
export interface UserEventEnvelope extends EnvelopeBase {
  type: 'USER_UPDATED';
  user?: userV1.User;
}

/** A tag renamed on the user's notes (each note changed also has its own NOTE_UPDATED before it). */
export interface TagsRenamedEnvelope extends EnvelopeBase {
  type: 'TAGS_RENAMED';
  from: string;
  to: string;
}

/**
 * One change event as the services write it to the user's stream and the events channel: proto
 * payloads, no REST shapes (the gateway maps them to `@micronote/contracts`' ChangeEvent at the
 * socket edge, the services' StreamNoteUpdates/StreamTodoUpdates to NoteEvent/TodoEvent).
 */
export type EventEnvelope =
  | NoteEventEnvelope
  | TodoEventEnvelope
  | TodoListEventEnvelope
  | UserEventEnvelope
  | TagsRenamedEnvelope
  | NotificationEventEnvelope
  | ReminderEventEnvelope;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event to publish: the log adds `v`, `id` and (unless given) `at`. */
export type NewEvent = DistributiveOmit<EventEnvelope, 'v' | 'id' | 'at'> & { at?: string };

export const isNoteEvent = (event: EventEnvelope): event is NoteEventEnvelope => event.type.startsWith('NOTE_');
export const isTodoListEvent = (event: EventEnvelope): event is TodoListEventEnvelope => event.type.startsWith('TODO_LIST_');
export const isTodoEvent = (event: EventEnvelope): event is TodoEventEnvelope => event.type.startsWith('TODO_') && !isTodoListEvent(event);
export const isNotificationEvent = (event: EventEnvelope): event is NotificationEventEnvelope => event.type === 'NOTIFICATION';
export const isReminderEvent = (event: EventEnvelope): event is ReminderEventEnvelope => event.type === 'REMINDER';
export const isTagsRenamedEvent = (event: EventEnvelope): event is TagsRenamedEnvelope => event.type === 'TAGS_RENAMED';

/** The envelope in a stream entry or channel message; undefined for one of an unknown version. */
export function parseEnvelope(json: string, id?: string): EventEnvelope | undefined {
  const event = JSON.parse(json) as Omit<EventEnvelope, 'v'> & { v?: number };
  if (event.v !== undefined && event.v !== EVENT_ENVELOPE_VERSION) return undefined;
  return { ...event, v: EVENT_ENVELOPE_VERSION, ...(id !== undefined && { id }) } as EventEnvelope;
}

interface Cappable {
  note?: { version: number };
  todo?: { version: number };
  user?: unknown;
  truncated?: true;
  version?: number;
}

/**
 * The event whole when its JSON fits EVENT_MAX_BYTES (contracts), else without the entity, as ids
 * + `version` + `truncated: true`, and the client fetches the entity. Used on both sides of the
 * seam: the services cap the envelope they publish (a 100 KB note never travels through the
 * stream), the gateway caps the REST event it sends (the browser's limit is on what it receives).
 */
export function capEvent<T extends Cappable>(event: T): T {
  if (Buffer.byteLength(JSON.stringify(event), 'utf8') <= EVENT_MAX_BYTES) return event;
  const version = event.note?.version ?? event.todo?.version;
  const capped: T = { ...event, truncated: true, ...(version !== undefined && { version }) };
  delete capped.note;
  delete capped.todo;
  delete capped.user;
  return capped;
}
