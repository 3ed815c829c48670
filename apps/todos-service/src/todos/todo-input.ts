import type { TodoPriority } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';
import { withinLength } from '@micronote/server-data';

import { TodoErrors } from './todos.errors';

/** Stored priority codes (TINYINT), in the order of TODO_LIMITS.priorities. */
export const PRIORITY_NAMES: readonly TodoPriority[] = TODO_LIMITS.priorities;
export const DEFAULT_PRIORITY = PRIORITY_NAMES.indexOf(TODO_LIMITS.defaultPriority);

/** Trimmed text of 1..200 characters. */
export function checkText(text: string): string {
  const trimmed = text.trim();
  if (!withinLength(trimmed, TODO_LIMITS.text.min, TODO_LIMITS.text.max)) {
    throw TodoErrors.invalid(`text must be ${TODO_LIMITS.text.min} to ${TODO_LIMITS.text.max} characters (after trimming)`);
  }
  return trimmed;
}

/** Trimmed category of 1..30 characters, or null (none). */
export function checkCategory(category: string | null | undefined): string | null {
  if (category === null || category === undefined) return null;
  const trimmed = category.trim();
  if (!withinLength(trimmed, TODO_LIMITS.category.min, TODO_LIMITS.category.max)) {
    throw TodoErrors.invalid(
      `category must be ${TODO_LIMITS.category.min} to ${TODO_LIMITS.category.max} characters (after trimming), or null`,
    );
  }
  return trimmed;
}

/** `low` | `medium` | `high` → its stored code. */
export function checkPriority(priority: string): number {
  const code = PRIORITY_NAMES.indexOf(priority as TodoPriority);
  if (code < 0) throw TodoErrors.invalid(`priority must be one of ${PRIORITY_NAMES.join(', ')}`);
  return code;
}

export function priorityName(code: number): TodoPriority {
  return PRIORITY_NAMES[code] ?? TODO_LIMITS.defaultPriority;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A due date (or a dueBefore/dueAfter bound) as a UTC instant: `YYYY-MM-DD` is 00:00 UTC of that
 * day; a date-time without an offset is UTC; digits beyond milliseconds are dropped. Calendar and
 * clock fields are checked (no 2026-02-30, no 24:00), years 1000..9999 (the DATETIME range).
 */
export function parseInstant(value: string, field: string): Date {
  const invalid = () => TodoErrors.invalid(`${field} must be a date (YYYY-MM-DD) or an ISO-8601 date-time, years 1000 to 9999`);
  const match = TODO_LIMITS.dueDate.pattern.exec(value);
  if (!match) throw invalid();
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', offset = 'Z'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1];
  const { minYear, maxYear } = TODO_LIMITS.dueDate;
  if (
    year < minYear ||
    year > maxYear ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > monthDays ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw invalid();
  }
  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const digits = offset.slice(1).replace(':', '');
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
    if (oh > 23 || om > 59) throw invalid();
    offsetMinutes = (offset[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000);
  // An offset can still carry the instant out of the DATETIME range.
  const utcYear = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || utcYear < minYear || utcYear > maxYear) throw invalid();
  return date;
}
