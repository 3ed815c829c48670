import type { TodoPriority } from '@micronote/contracts';

export type TodoStatus = 'all' | 'active' | 'completed' | 'overdue';

/** Which todos a list shows. Normalised so equal filters share a cache entry. */
export interface TodoFilters {
  status: TodoStatus;
  /** '' = any priority. */
  priority: TodoPriority | '';
  /** '' = any category. */
  category: string;
  /** One todo list's todos ('' = all yours). */
  listId: string;
}

export const TODO_STATUSES: readonly TodoStatus[] = ['all', 'active', 'completed', 'overdue'];
export const PRIORITIES: readonly TodoPriority[] = ['high', 'medium', 'low'];

export function todoFilters(input: Partial<Record<keyof TodoFilters, string | null>>): TodoFilters {
  const status = TODO_STATUSES.includes(input.status as TodoStatus) ? (input.status as TodoStatus) : 'all';
  const priority = PRIORITIES.includes(input.priority as TodoPriority) ? (input.priority as TodoPriority) : '';
  return { status, priority, category: (input.category ?? '').trim(), listId: (input.listId ?? '').trim() };
}

/** Query keys of the todos feature, from general to specific. */
export const todoKeys = {
  all: ['todos'] as const,
  lists: () => [...todoKeys.all, 'list'] as const,
  list: (filters: TodoFilters) => [...todoKeys.lists(), filters] as const,
  details: () => [...todoKeys.all, 'detail'] as const,
  detail: (id: string) => [...todoKeys.details(), id] as const,
  stats: () => [...todoKeys.all, 'stats'] as const,
  /** The todo lists (own and shared with you): their own branch, apart from the todos' `lists()`. */
  todoLists: () => [...todoKeys.all, 'todo-lists'] as const,
  todoList: (id: string) => [...todoKeys.todoLists(), id] as const,
};
