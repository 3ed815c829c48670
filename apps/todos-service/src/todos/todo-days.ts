import { TZDate } from '@date-fns/tz';
import { TODO_LIMITS } from '@micronote/contracts';
import { canonicalTimeZone } from '@micronote/server-core';

import { TodoErrors } from './todos.errors';
import type { DueWindow } from './todos.repository';

/**
 * Days in the user's time zone. A timed todo is due at an instant; an all-day todo on a calendar
 * date, stored as that date's 00:00Z. So a day of the user's is two ranges: its instants, from
 * local midnight to the next local midnight (23, 24 or 25 hours around a DST change, as
 * @date-fns/tz computes them), and its date, [date 00:00Z, next date 00:00Z).
 */
export interface UserDay {
  /** The clock's time. */
  now: Date;
  /** Today's date in the zone, as 00:00Z of it: all-day todos before it are overdue. */
  today: Date;
  /** The instant the local day `days` after today starts. */
  startOf(days: number): Date;
  /** The date `days` after today, as 00:00Z of it. */
  dateOf(days: number): Date;
}

/** An IANA zone name `Intl` knows, canonical (`europe/berlin` → `Europe/Berlin`, server-core's one check); empty: UTC. 400 otherwise. */
export function checkTimeZone(value: string): string {
  if (value === '') return 'UTC';
  const canonical = canonicalTimeZone(value);
  if (canonical === null) throw TodoErrors.invalid('timeZone must be an IANA time zone such as Europe/Berlin');
  return canonical;
}

export function userDay(now: Date, timeZone: string): UserDay {
  const local = new TZDate(now.getTime(), timeZone);
  const [year, month, day] = [local.getFullYear(), local.getMonth(), local.getDate()];
  return {
    now,
    today: new Date(Date.UTC(year, month, day)),
    startOf: (days) => new Date(new TZDate(year, month, day + days, timeZone).getTime()),
    dateOf: (days) => new Date(Date.UTC(year, month, day + days)),
  };
}

/** `today`: open and due by the end of today (overdue included); `upcoming`: not overdue and due within the next 7 days (today included). */
export function viewWindow(view: string, day: UserDay): DueWindow | undefined {
  if (view === '') return undefined;
  if (view === 'today') return { to: day.startOf(1), toDate: day.dateOf(1) };
  if (view === 'upcoming') {
    const days = TODO_LIMITS.upcomingDays;
    return { from: day.now, to: day.startOf(days), fromDate: day.today, toDate: day.dateOf(days) };
  }
  throw TodoErrors.invalid('view must be today or upcoming');
}

/** An all-day due date: the calendar date the input names (its own offset's), at 00:00Z. */
export function toDate(instantInput: string, parsed: Date): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(instantInput);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : startOfUtcDay(parsed);
}

export function startOfUtcDay(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}

/** A `YYYY-MM-DD` without a time: all-day unless said otherwise. */
export const isDateOnly = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
