import type { TodoPriority } from '@micronote/contracts';

export type TodoStatus = 'all' | 'active' | 'completed' | 'overdue';
/** `all`: every todo (by status); `today` and `upcoming`: the server's views in the user's zone (open todos only). */
export type TodoViewName = 'all' | 'today' | 'upcoming';
/** `default`: the server's order (open first, soonest due); `manual`: "My order" (`order=manual`), reordered by dragging. */
export type TodoOrder = 'default' | 'manual';

/** Which todos a list shows. Normalised so equal filters share a cache entry. */
export interface TodoFilters {
  status: TodoStatus;
  /** '' = any priority. */
  priority: TodoPriority | '';
  /** '' = any category. */
  category: string;
  /** One todo list's todos ('' = all yours). */
  listId: string;
  view: TodoViewName;
  order: TodoOrder;
  /** The subtasks of this todo ('' = the top-level todos). */
  parentId: string;
}

export const TODO_STATUSES: readonly TodoStatus[] = ['all', 'active', 'completed', 'overdue'];
export const PRIORITIES: readonly TodoPriority[] = ['high', 'medium', 'low'];
export const TODO_VIEWS: readonly TodoViewName[] = ['all', 'today', 'upcoming'];

export function todoFilters(input: Partial<Record<keyof TodoFilters, string | null>>): TodoFilters {
  const view = TODO_VIEWS.includes(input.view as TodoViewName) ? (input.view as TodoViewName) : 'all';
  // Today and Upcoming are open todos by definition: a status does not apply.
  const status = view === 'all' && TODO_STATUSES.includes(input.status as TodoStatus) ? (input.status as TodoStatus) : 'all';
  const priority = PRIORITIES.includes(input.priority as TodoPriority) ? (input.priority as TodoPriority) : '';
  return {
    status,
    priority,
    category: (input.category ?? '').trim(),
    listId: (input.listId ?? '').trim(),
    view,
    order: input.order === 'manual' ? 'manual' : 'default',
    parentId: (input.parentId ?? '').trim(),
  };
}

/** The subtasks of a todo: all of them, in their manual order (a subtask list is short and always "my order"). */
export const subtaskFilters = (parentId: string): TodoFilters => todoFilters({ parentId, order: 'manual' });

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
