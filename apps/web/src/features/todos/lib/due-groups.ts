import type { Todo } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';

import { addDays, zonedDate } from '../../../lib/zoned-time';

export type DueGroup = 'overdue' | 'today' | 'upcoming' | 'later' | 'none' | 'completed';

export const DUE_GROUP_LABEL: Record<DueGroup, string> = {
  overdue: 'Overdue',
  today: 'Today',
  upcoming: 'Upcoming',
  later: 'Later',
  none: 'No date',
  completed: 'Completed',
};

const ORDER: readonly DueGroup[] = ['overdue', 'today', 'upcoming', 'later', 'none', 'completed'];

export interface DueClock {
  /** ms since the epoch. */
  now: number;
  timeZone: string;
}

type Due = Pick<Todo, 'dueDate' | 'allDay' | 'completed'>;

/**
 * The calendar day (`YYYY-MM-DD`) a todo is due in `timeZone`: an all-day todo's own date
 * (stored as that date at 00:00Z, the same day everywhere), a timed one's date on a clock there.
 */
export function dueDay(todo: Pick<Todo, 'dueDate' | 'allDay'>, timeZone: string): string | null {
  if (!todo.dueDate) return null;
  return todo.allDay ? todo.dueDate.slice(0, 10) : zonedDate(Date.parse(todo.dueDate), timeZone);
}

/** Open and past due: a timed todo once its instant has passed, an all-day one once its day has ended in the zone. */
export function isOverdue(todo: Due, clock: DueClock): boolean {
  if (todo.completed || !todo.dueDate) return false;
  if (!todo.allDay) return Date.parse(todo.dueDate) < clock.now;
  return todo.dueDate.slice(0, 10) < zonedDate(clock.now, clock.timeZone);
}

/**
 * The section of the All view a todo belongs in: Overdue, Today (the rest of today), Upcoming
 * (the next days up to TODO_LIMITS.upcomingDays counting today, as `view=upcoming`), Later, No
 * date; completed ones apart.
 */
export function dueGroup(todo: Due, clock: DueClock): DueGroup {
  if (todo.completed) return 'completed';
  const day = dueDay(todo, clock.timeZone);
  if (day === null) return 'none';
  if (isOverdue(todo, clock)) return 'overdue';
  const today = zonedDate(clock.now, clock.timeZone);
  if (day <= today) return 'today';
  if (day <= addDays(today, TODO_LIMITS.upcomingDays - 1)) return 'upcoming';
  return 'later';
}

export interface TodoSection<T> {
  group: DueGroup;
  label: string;
  todos: T[];
}

/** The non-empty sections in their fixed order; inside each, the server's order is kept. */
export function groupByDue<T extends Due>(todos: readonly T[], clock: DueClock): TodoSection<T>[] {
  const byGroup = new Map<DueGroup, T[]>();
  for (const todo of todos) {
    const group = dueGroup(todo, clock);
    const list = byGroup.get(group);
    if (list) list.push(todo);
    else byGroup.set(group, [todo]);
  }
  return ORDER.filter((g) => byGroup.has(g)).map((group) => ({ group, label: DUE_GROUP_LABEL[group], todos: byGroup.get(group) ?? [] }));
}
