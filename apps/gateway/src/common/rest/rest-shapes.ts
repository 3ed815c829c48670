import type {
  AccessRole,
  AppNotification,
  MergeConflictHunk,
  Note,
  NoteRevision,
  NoteRevisionSummary,
  NotificationKind,
  PersonSummary,
  Todo,
  TodoCompletion,
  TodoPriority,
  TodoStats,
  UpdatedNote,
  User,
} from '@micronote/contracts';
import type { notesV1, todosV1, userV1 } from '@micronote/proto';

// The REST shapes of the gRPC messages, made here at the edge only (services speak proto): the
// gateway's responses, realtime events and the `current` of a version conflict. Unset proto
// optionals become `null`; fields are listed one by one so nothing else can leak.

/**
 * The REST note of a proto note. `access` (the note is shared, or not the caller's) is shown when
 * `people` has the names (NoteViews): events and exports carry the content only, without it.
 */
export function toRestNote(note: notesV1.Note, people?: ReadonlyMap<string, PersonSummary>): Note {
  const rest: Note = {
    id: note.id,
    title: note.title,
    text: note.text,
    tags: note.tags ?? [],
    isPinned: note.isPinned,
    isArchived: note.isArchived,
    version: note.version,
    createdAt: note.createdAt,
    updatedAt: note.updatedAt,
    deletedAt: note.deletedAt ?? null,
  };
  if (note.access && people) {
    const { role, ownerId, members } = note.access;
    rest.access = { role: role as AccessRole, owner: people.get(ownerId) ?? { id: ownerId, username: '', displayName: null }, members };
  }
  return rest;
}

/** A PATCH's answer: the note, with `merged: true` when the service merged a stale edit in. */
export function toRestUpdatedNote(note: notesV1.Note, people?: ReadonlyMap<string, PersonSummary>): UpdatedNote {
  return note.merged ? { ...toRestNote(note, people), merged: true } : toRestNote(note, people);
}

export function toRestRevisionSummary(revision: notesV1.NoteRevisionSummary): NoteRevisionSummary {
  return { version: revision.version, at: revision.at, title: revision.title, size: revision.size, clientId: revision.clientId ?? null };
}

export function toRestRevision(revision: notesV1.NoteRevision): NoteRevision {
  return {
    noteId: revision.noteId,
    version: revision.version,
    at: revision.at,
    title: revision.title,
    text: revision.text,
    tags: revision.tags ?? [],
    clientId: revision.clientId ?? null,
  };
}

/** The note as it was at a revision: the stored note's id, flags and creation, the revision's title, text, tags, version and time. */
export function noteAtRevision(current: notesV1.Note, revision: notesV1.NoteRevision): notesV1.Note {
  return {
    ...current,
    title: revision.title,
    text: revision.text,
    tags: revision.tags ?? [],
    version: revision.version,
    updatedAt: revision.at,
  };
}

export function toRestMergeHunk(hunk: notesV1.MergeConflictHunk): MergeConflictHunk {
  const range = (r: notesV1.LineRange | undefined) => ({ start: r?.start ?? 0, end: r?.end ?? 0 });
  return { field: hunk.field === 'title' ? 'title' : 'text', base: range(hunk.base), mine: range(hunk.mine), theirs: range(hunk.theirs) };
}

export function toRestTodo(todo: todosV1.Todo): Todo {
  return {
    id: todo.id,
    text: todo.text,
    completed: Boolean(todo.completed),
    priority: todo.priority as TodoPriority,
    dueDate: todo.dueDate ?? null,
    category: todo.category ?? null,
    completedAt: todo.completedAt ?? null,
    listId: todo.listId ?? null,
    allDay: Boolean(todo.allDay),
    parentId: todo.parentId ?? null,
    position: todo.position ?? '',
    subtasks: { total: todo.subtasksTotal ?? 0, completed: todo.subtasksCompleted ?? 0 },
    recurrence: todo.recurrence ?? null,
    remindAt: todo.remindAt ?? null,
    version: todo.version,
    createdAt: todo.createdAt,
    updatedAt: todo.updatedAt,
  };
}

export function toRestTodoCompletion(completion: todosV1.TodoCompletion): TodoCompletion {
  return {
    id: completion.id,
    dueDate: completion.dueDate ?? null,
    completedAt: completion.completedAt,
    completedBy: completion.completedBy ?? null,
  };
}

export function toRestTodoStats(stats: todosV1.TodoStats): TodoStats {
  return {
    total: stats.total,
    completed: stats.completed,
    pending: stats.pending,
    overdue: stats.overdue,
    completionRate: stats.completionRate,
    byPriority: { low: stats.byPriority?.low ?? 0, medium: stats.byPriority?.medium ?? 0, high: stats.byPriority?.high ?? 0 },
    byCategory: { ...stats.byCategory },
  };
}

export function toRestUser(user: userV1.User): User {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    username: user.username,
    timeZone: user.timeZone ?? null,
    locale: user.locale ?? null,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

/** The REST notification of a proto one: the actor by name (an id without a name when their account is gone). */
export function toRestNotification(notification: userV1.Notification): AppNotification {
  const actor = notification.actor;
  return {
    id: notification.id,
    kind: notification.kind as NotificationKind,
    actor: actor
      ? { id: actor.id, username: actor.username, displayName: actor.name || null }
      : { id: notification.actorId, username: '', displayName: null },
    subject: {
      kind: notification.subjectKind as AppNotification['subject']['kind'],
      id: notification.subjectId,
      title: notification.subjectTitle,
    },
    ...(notification.listId && { list: { id: notification.listId, name: notification.listName ?? '' } }),
    readAt: notification.readAt ?? null,
    createdAt: notification.createdAt,
  };
}
