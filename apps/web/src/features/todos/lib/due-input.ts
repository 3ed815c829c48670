import type { Todo } from '@micronote/contracts';

import { zonedDate, zonedInstant, zonedTime } from '../../../lib/zoned-time';

/** What the due fields of a form hold: `date` `YYYY-MM-DD` ('' none), `time` `HH:mm` (used unless `allDay`). */
export interface DueInput {
  date: string;
  time: string;
  allDay: boolean;
}

/** The time offered when "All day" is turned off. */
export const DEFAULT_DUE_TIME = '09:00';

export const NO_DUE: DueInput = { date: '', time: DEFAULT_DUE_TIME, allDay: true };

/** The fields for a todo's due date, on a clock in `timeZone`. */
export function dueInputOf(todo: Pick<Todo, 'dueDate' | 'allDay'>, timeZone: string): DueInput {
  if (!todo.dueDate) return NO_DUE;
  if (todo.allDay) return { date: todo.dueDate.slice(0, 10), time: DEFAULT_DUE_TIME, allDay: true };
  const instant = Date.parse(todo.dueDate);
  return { date: zonedDate(instant, timeZone), time: zonedTime(instant, timeZone), allDay: false };
}

/**
 * The request fields for the due fields: none without a date; the date alone with `allDay` true
 * (all day, or no time given); else the instant of that wall-clock time in `timeZone` (ISO, UTC)
 * with `allDay` false.
 */
export function dueRequest(input: DueInput, timeZone: string): { dueDate: string; allDay: boolean } | { dueDate: null } {
  if (!input.date) return { dueDate: null };
  if (input.allDay || !input.time) return { dueDate: input.date, allDay: true };
  return { dueDate: new Date(zonedInstant(input.date, input.time, timeZone)).toISOString(), allDay: false };
}

/** The due fields of an edit: {} when they say what the todo has already. */
export function duePatch(
  todo: Pick<Todo, 'dueDate' | 'allDay'>,
  input: DueInput,
  timeZone: string,
): { dueDate?: string | null; allDay?: boolean } {
  const next = dueRequest(input, timeZone);
  const before = dueRequest(dueInputOf(todo, timeZone), timeZone);
  if (next.dueDate === null) return before.dueDate === null ? {} : { dueDate: null };
  if (before.dueDate !== null && before.dueDate === next.dueDate && before.allDay === next.allDay) return {};
  return next;
}
