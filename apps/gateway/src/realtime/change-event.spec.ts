import type { ChangeEvent } from '@micronote/contracts';
import { EVENT_MAX_BYTES } from '@micronote/contracts';
import type { EventEnvelope } from '@micronote/events';
import type { notesV1, todosV1 } from '@micronote/proto';

import { changeEventMapper, toChangeEvent } from './change-event';

const note = {
  id: '5',
  title: 'a note',
  text: 'hello',
  tags: ['t'],
  isPinned: false,
  isArchived: false,
  version: 4,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
} satisfies notesV1.Note;
const todo: todosV1.Todo = {
  id: '9',
  text: 'milk',
  completed: false,
  priority: 'low',
  allDay: false,
  position: 'a0',
  subtasksTotal: 0,
  subtasksCompleted: 0,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const base = { v: 1 as const, id: '1-0', userId: 'u1', at: '2026-01-02T00:00:00.000Z' };

describe(toChangeEvent.name, () => {
  it('sends TAGS_RENAMED with the old and the new name, and NOTE_SHARED with the note id only', () => {
    expect(toChangeEvent({ ...base, type: 'TAGS_RENAMED', from: 'work', to: 'job', clientId: 'tab' })).toEqual<ChangeEvent>({
      id: '1-0',
      type: 'TAGS_RENAMED',
      userId: 'u1',
      at: base.at,
      clientId: 'tab',
      from: 'work',
      to: 'job',
    });
    expect(toChangeEvent({ ...base, type: 'NOTE_SHARED', noteId: '5' })).toEqual<ChangeEvent>({
      id: '1-0',
      type: 'NOTE_SHARED',
      userId: 'u1',
      at: base.at,
      noteId: '5',
    });
  });

  it('sends the browser the REST note of a proto note event (unset optionals as null), nothing else', () => {
    // `access` (a shared note's owner by name) is the REST reads' part: events carry the content.
    const shared: notesV1.Note = { ...note, access: { role: 'editor', ownerId: '7', members: 1 } };
    const event = toChangeEvent({ ...base, type: 'NOTE_UPDATED', noteId: '5', note: shared, clientId: 'tab' });
    expect(event).toEqual<ChangeEvent>({
      id: '1-0',
      type: 'NOTE_UPDATED',
      userId: 'u1',
      at: base.at,
      clientId: 'tab',
      noteId: '5',
      note: { ...note, deletedAt: null },
    });
  });

  it('sends the REST todo of a todo event, and a deletion by id only', () => {
    const { subtasksTotal: _total, subtasksCompleted: _completed, ...scalars } = todo;
    expect(toChangeEvent({ ...base, type: 'TODO_CREATED', todoId: '9', todo }).todo).toEqual({
      ...scalars,
      dueDate: null,
      category: null,
      completedAt: null,
      listId: null,
      parentId: null,
      recurrence: null,
      remindAt: null,
      subtasks: { total: 0, completed: 0 },
    });
    expect(toChangeEvent({ ...base, type: 'TODO_DELETED', todoId: '9' })).toEqual({
      ...base,
      v: undefined,
      type: 'TODO_DELETED',
      todoId: '9',
    });
  });

  it('sends a reminder with its REST todo and whether it was late', () => {
    const due = { ...todo, remindAt: '2026-01-02T09:00:00.000Z' };
    const event = toChangeEvent({ ...base, type: 'REMINDER', todoId: '9', todo: due, late: true });
    expect(event).toMatchObject({ type: 'REMINDER', todoId: '9', late: true, todo: { id: due.id, remindAt: '2026-01-02T09:00:00.000Z' } });
  });

  it('sends a notification with its actor by name, and an id without a name once the actor is gone', () => {
    const notification = {
      id: '3',
      kind: 'TODO_COMPLETED',
      actorId: '8',
      actor: { id: '8', username: 'bob', name: 'Bob' },
      subjectKind: 'todo',
      subjectId: '9',
      subjectTitle: 'milk',
      listId: '4',
      listName: 'Groceries',
      createdAt: '2026-01-02T00:00:00.000Z',
    };
    expect(toChangeEvent({ ...base, type: 'NOTIFICATION', notification }).notification).toEqual({
      id: '3',
      kind: 'TODO_COMPLETED',
      actor: { id: '8', username: 'bob', displayName: 'Bob' },
      subject: { kind: 'todo', id: '9', title: 'milk' },
      list: { id: '4', name: 'Groceries' },
      readAt: null,
      createdAt: '2026-01-02T00:00:00.000Z',
    });
    const gone = toChangeEvent({ ...base, type: 'NOTIFICATION', notification: { ...notification, actor: undefined, listId: undefined } });
    expect(gone.notification).toMatchObject({ actor: { id: '8', username: '', displayName: null } });
    expect(gone.notification?.list).toBeUndefined();
  });

  it('passes a truncated event on as ids + version + truncated', () => {
    expect(toChangeEvent({ ...base, type: 'NOTE_UPDATED', noteId: '5', truncated: true, version: 7 })).toEqual({
      id: '1-0',
      type: 'NOTE_UPDATED',
      userId: 'u1',
      at: base.at,
      noteId: '5',
      truncated: true,
      version: 7,
    });
  });

  it('caps by the JSON the browser receives: an event whose REST form is over EVENT_MAX_BYTES loses its note', () => {
    const envelope: EventEnvelope = { ...base, type: 'NOTE_UPDATED', noteId: '5', note: { ...note, text: 'x'.repeat(EVENT_MAX_BYTES) } };
    const event = toChangeEvent(envelope);
    expect(event).toMatchObject({ noteId: '5', truncated: true, version: 4 });
    expect(event.note).toBeUndefined();
  });

  it('maps a live envelope once for all the sockets of its user', () => {
    const map = changeEventMapper();
    const envelope: EventEnvelope = { ...base, type: 'NOTE_CREATED', noteId: '5', note };
    expect(map(envelope)).toBe(map(envelope));
  });
});
