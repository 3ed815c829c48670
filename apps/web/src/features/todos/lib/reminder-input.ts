import type { Todo } from '@micronote/contracts';

import { addDays, zonedDate, zonedInstant, zonedTime } from '../../../lib/zoned-time';
import type { DueInput } from './due-input';
import { dueInputOf } from './due-input';

/** Reminders relative to a due time: at it, or some time before it. */
export type ReminderPreset = 'at-due' | '10m' | '1h' | '1d';
export type ReminderKind = 'none' | ReminderPreset | 'custom';

/**
 * What the reminder picker holds: the kind, and for `custom` a wall-clock date (`YYYY-MM-DD`) and
 * time (`HH:mm`) in the user's zone. A preset keeps the instant it stood for in `date`/`time` too,
 * so the reminder can stay where it was when the due time goes away (see `keepWithoutDueTime`).
 */
export interface ReminderInput {
  kind: ReminderKind;
  date: string;
  time: string;
}

export const NO_REMINDER: ReminderInput = { kind: 'none', date: '', time: '' };

export const REMINDER_PRESETS: readonly ReminderPreset[] = ['at-due', '10m', '1h', '1d'];

export const REMINDER_LABEL: Record<ReminderKind, string> = {
  none: 'None',
  'at-due': 'At the due time',
  '10m': '10 minutes before',
  '1h': '1 hour before',
  '1d': '1 day before',
  custom: 'At a date and time…',
};

const isPreset = (kind: ReminderKind): kind is ReminderPreset => kind !== 'none' && kind !== 'custom';

/** The instant of a timed due date (null: no due date, or all day). */
export function dueInstant(due: DueInput, timeZone: string): number | null {
  if (!due.date || due.allDay || !due.time) return null;
  return zonedInstant(due.date, due.time, timeZone);
}

/**
 * The instant a preset stands for, before a timed due date: 10 minutes and 1 hour before are
 * durations; "1 day before" is the same wall-clock time on the day before (23 or 25 hours across
 * a change of daylight saving time).
 */
export function presetInstant(preset: ReminderPreset, due: DueInput, timeZone: string): number | null {
  const at = dueInstant(due, timeZone);
  if (at === null) return null;
  switch (preset) {
    case 'at-due':
      return at;
    case '10m':
      return at - 10 * 60_000;
    case '1h':
      return at - 60 * 60_000;
    case '1d':
      return zonedInstant(addDays(due.date, -1), due.time, timeZone);
  }
}

/** The instant the picker says (null: none, or not complete: a preset without a due time, a custom time half filled). */
export function reminderInstant(input: ReminderInput, due: DueInput, timeZone: string): number | null {
  if (input.kind === 'none') return null;
  if (isPreset(input.kind)) return presetInstant(input.kind, due, timeZone);
  if (!input.date || !input.time) return null;
  return zonedInstant(input.date, input.time, timeZone);
}

/** A custom reminder at `instant`, on a clock in `timeZone`. */
export function customReminderAt(instant: number, timeZone: string): ReminderInput {
  return { kind: 'custom', date: zonedDate(instant, timeZone), time: zonedTime(instant, timeZone) };
}

/** The picker's fields for a todo: the preset its reminder matches (to the minute), else a custom time. */
export function reminderInputOf(todo: Pick<Todo, 'dueDate' | 'allDay' | 'remindAt'>, timeZone: string): ReminderInput {
  // `?? null`: a todo cached before the field existed has none.
  const remindAt = todo.remindAt ?? null;
  if (!remindAt) return NO_REMINDER;
  const at = Date.parse(remindAt);
  const custom = customReminderAt(at, timeZone);
  const due = dueInputOf(todo, timeZone);
  const preset = REMINDER_PRESETS.find((p) => presetInstant(p, due, timeZone) === Math.floor(at / 60_000) * 60_000);
  return preset ? { ...custom, kind: preset } : custom;
}

/** What is wrong with the picker's reminder, if anything (`now`: a reminder must be in the future). */
export type ReminderProblem = 'needs-due-time' | 'incomplete' | 'past';

export function reminderProblem(input: ReminderInput, due: DueInput, timeZone: string, now: number): ReminderProblem | null {
  if (input.kind === 'none') return null;
  const at = reminderInstant(input, due, timeZone);
  if (at === null) return isPreset(input.kind) ? 'needs-due-time' : 'incomplete';
  return at <= now ? 'past' : null;
}

export const REMINDER_PROBLEM_TEXT: Record<ReminderProblem, string> = {
  'needs-due-time': 'Set a due time, or pick a date and time for the reminder.',
  incomplete: 'Pick both a date and a time for the reminder.',
  past: 'That time has passed: pick a later one.',
};

/** The request's `remindAt`: an ISO instant, or null for none (or a reminder that is not complete). */
export function reminderRequest(input: ReminderInput, due: DueInput, timeZone: string): string | null {
  const at = reminderInstant(input, due, timeZone);
  return at === null ? null : new Date(at).toISOString();
}

/**
 * The `remindAt` of an edit: {} when the picker and the due fields say what the todo has already
 * (read back the same way, so a reminder with seconds, from a snooze, is not re-sent rounded).
 */
export function reminderPatch(
  todo: Pick<Todo, 'dueDate' | 'allDay' | 'remindAt'>,
  input: ReminderInput,
  due: DueInput,
  timeZone: string,
): { remindAt?: string | null } {
  const next = reminderRequest(input, due, timeZone);
  const before = reminderRequest(reminderInputOf(todo, timeZone), dueInputOf(todo, timeZone), timeZone);
  if (next === before) return {};
  return { remindAt: next };
}

/**
 * A preset reminder whose due time went away (the date cleared, or made all day) stays at the
 * instant it stood for, as a custom time; anything else is kept as it is.
 */
export function keepWithoutDueTime(input: ReminderInput, previousDue: DueInput, nextDue: DueInput, timeZone: string): ReminderInput {
  if (!isPreset(input.kind) || dueInstant(nextDue, timeZone) !== null) return input;
  const at = presetInstant(input.kind, previousDue, timeZone);
  return at === null ? { ...input, kind: 'custom' } : customReminderAt(at, timeZone);
}

/** Where a new custom reminder starts: at the due time when there is one, else the next full hour. */
export function defaultCustomReminder(due: DueInput, timeZone: string, now: number): ReminderInput {
  const at = dueInstant(due, timeZone);
  if (at !== null && at > now) return customReminderAt(at, timeZone);
  if (due.date && due.allDay && zonedInstant(due.date, '09:00', timeZone) > now) return { kind: 'custom', date: due.date, time: '09:00' };
  return customReminderAt(Math.ceil((now + 1) / 3_600_000) * 3_600_000, timeZone);
}
