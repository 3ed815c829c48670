import type { Note, Todo, TodoPriority, TodoStats, User } from '@micronote/contracts';
import type { notesV1, todosV1, userV1 } from '@micronote/proto';

// The REST shapes of the gRPC messages, made here at the edge only (services speak proto): the
// gateway's responses, realtime events and the `current` of a version conflict. Unset proto
// optionals become `null`; fields are listed one by one so nothing else can leak.

export function toRestNote(note: notesV1.Note): Note {
  return {
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
    version: todo.version,
    createdAt: todo.createdAt,
    updatedAt: todo.updatedAt,
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
  return { id: user.id, name: user.name, email: user.email, username: user.username, createdAt: user.createdAt, updatedAt: user.updatedAt };
}
