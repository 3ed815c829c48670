import type { Todo, TodoStats } from '@micronote/contracts';

/** A REST Todo for the web specs: open, medium, no dates, top-level, `position` a<id>; `patch` overrides. */
export const todoFixture = (id: string, patch: Partial<Todo> = {}): Todo => ({
  id,
  text: `Todo ${id}`,
  completed: false,
  priority: 'medium',
  dueDate: null,
  allDay: false,
  category: null,
  completedAt: null,
  listId: null,
  parentId: null,
  position: `a${id}`,
  subtasks: { total: 0, completed: 0 },
  recurrence: null,
  remindAt: null,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...patch,
});

/** The stats of a user without todos. */
export const EMPTY_TODO_STATS: TodoStats = {
  total: 0,
  completed: 0,
  pending: 0,
  overdue: 0,
  completionRate: 0,
  byPriority: { high: 0, medium: 0, low: 0 },
  byCategory: {},
};
