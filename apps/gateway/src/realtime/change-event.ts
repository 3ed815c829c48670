import type { ChangeEvent } from '@micronote/contracts';
import type { EventEnvelope } from '@micronote/events';
import {
  capEvent,
  isNoteEvent,
  isNotificationEvent,
  isReminderEvent,
  isTagsRenamedEvent,
  isTodoEvent,
  isTodoListEvent,
} from '@micronote/events';

import { toRestNote, toRestNotification, toRestTodo, toRestUser } from '../common/rest/rest-shapes';

/**
 * The browser's `ChangeEvent` (REST shapes of `@micronote/contracts`) of a services' event
 * envelope (proto payloads), made at the socket edge. Capped again by EVENT_MAX_BYTES on what the
 * browser receives: the service capped the envelope it published, whose size differs by a few
 * bytes (`v`, unset optionals that REST sends as `null`).
 */
export function toChangeEvent(envelope: EventEnvelope): ChangeEvent {
  const event: ChangeEvent = { id: envelope.id, type: envelope.type, userId: envelope.userId, at: envelope.at };
  if (envelope.clientId) event.clientId = envelope.clientId;
  if (isNoteEvent(envelope)) {
    event.noteId = envelope.noteId;
    if (envelope.note) event.note = toRestNote(envelope.note);
    if (envelope.member) event.member = envelope.member;
  } else if (isTodoEvent(envelope)) {
    event.todoId = envelope.todoId;
    if (envelope.todo) event.todo = toRestTodo(envelope.todo);
  } else if (isReminderEvent(envelope)) {
    event.todoId = envelope.todoId;
    event.todo = toRestTodo(envelope.todo);
    event.late = envelope.late;
  } else if (isTagsRenamedEvent(envelope)) {
    event.from = envelope.from;
    event.to = envelope.to;
  } else if (isTodoListEvent(envelope)) {
    // The list itself is not on the event (its REST shape names the owner): clients refetch GET /api/lists.
    event.listId = envelope.listId;
    if (envelope.member) event.member = envelope.member;
  } else if (isNotificationEvent(envelope)) {
    event.notification = toRestNotification(envelope.notification);
  } else if ('user' in envelope && envelope.user) {
    event.user = toRestUser(envelope.user);
  }
  if (envelope.truncated) event.truncated = true;
  if (envelope.version !== undefined) event.version = envelope.version;
  return capEvent(event);
}

/**
 * `toChangeEvent`, once per envelope: a live event reaches every socket of its user on this
 * instance as the same object, so it is mapped (and measured) once, not once per tab.
 */
export function changeEventMapper(): (envelope: EventEnvelope) => ChangeEvent {
  const mapped = new WeakMap<EventEnvelope, ChangeEvent>();
  return (envelope) => {
    let event = mapped.get(envelope);
    if (!event) mapped.set(envelope, (event = toChangeEvent(envelope)));
    return event;
  };
}
