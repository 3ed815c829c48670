import type { notesV1, todosV1 } from '@micronote/proto';

import type { NoteEventEnvelope, TodoEventEnvelope } from './envelope';

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
