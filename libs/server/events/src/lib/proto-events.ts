import type { notesV1, todosV1 } from '@micronote/proto';
import { Observable } from 'rxjs';

import type { EventEnvelope, NoteEventEnvelope, TodoEventEnvelope } from './envelope';
import { isNoteEvent, isTodoEvent } from './envelope';
import type { EventLog } from './event-log';

/** The envelope as the `NoteEvent` of notes-service's StreamNoteUpdates (proto3: unset fields as defaults). */
export function toNoteEvent(event: NoteEventEnvelope): notesV1.NoteEvent {
  return {
    id: event.id,
    type: event.type,
    userId: event.userId,
    at: event.at,
    note: event.note,
    noteId: event.noteId,
    clientId: event.clientId ?? '',
    truncated: event.truncated ?? false,
    version: event.version ?? 0,
  };
}

/** The envelope as the `TodoEvent` of todos-service's StreamTodoUpdates. */
export function toTodoEvent(event: TodoEventEnvelope): todosV1.TodoEvent {
  return {
    id: event.id,
    type: event.type,
    userId: event.userId,
    at: event.at,
    todo: event.todo,
    todoId: event.todoId,
    clientId: event.clientId ?? '',
    truncated: event.truncated ?? false,
    version: event.version ?? 0,
  };
}

/** The stream's `RESYNC`: the missed events are no longer all kept, refetch. */
export const RESYNC_EVENT_TYPE = 'RESYNC' as const;

export const noteResyncEvent = (userId: string): notesV1.NoteEvent => ({
  id: '',
  type: RESYNC_EVENT_TYPE,
  userId,
  at: new Date().toISOString(),
  noteId: '',
  clientId: '',
  truncated: false,
  version: 0,
});

export const todoResyncEvent = (userId: string): todosV1.TodoEvent => ({
  id: '',
  type: RESYNC_EVENT_TYPE,
  userId,
  at: new Date().toISOString(),
  todoId: '',
  clientId: '',
  truncated: false,
  version: 0,
});

/** What StreamNoteUpdates / StreamTodoUpdates are asked: whose events, after which one ('' = from now). */
export interface EventStreamRequest {
  userId: string;
  lastEventId: string;
}

/**
 * One user's events as a gRPC server stream: those after `lastEventId` first, then live ones,
 * until the client cancels; a `RESYNC` event says the missed ones are no longer all kept.
 */
function eventStream<T>(
  log: EventLog,
  request: EventStreamRequest,
  pick: (event: EventEnvelope) => T | undefined,
  resync: (userId: string) => T,
): Observable<T> {
  return new Observable<T>((subscriber) =>
    log.watch(request.userId, request.lastEventId || undefined, {
      onEvent: (event) => {
        const message = pick(event);
        if (message !== undefined) subscriber.next(message);
      },
      onResync: () => subscriber.next(resync(request.userId)),
    }),
  );
}

/** notes-service's StreamNoteUpdates. */
export const noteEventStream = (log: EventLog, request: EventStreamRequest): Observable<notesV1.NoteEvent> =>
  eventStream(log, request, (event) => (isNoteEvent(event) ? toNoteEvent(event) : undefined), noteResyncEvent);

/** todos-service's StreamTodoUpdates. */
export const todoEventStream = (log: EventLog, request: EventStreamRequest): Observable<todosV1.TodoEvent> =>
  eventStream(log, request, (event) => (isTodoEvent(event) ? toTodoEvent(event) : undefined), todoResyncEvent);
