import type { Todo } from '@micronote/contracts';

import type { TimePreferences } from '../../../lib/preferences';
import { zonedDate } from '../../../lib/zoned-time';

const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formats.set(key, f);
  }
  return f;
}

/**
 * A due date for people: "Fri, Dec 4" for an all-day todo (its date, whatever the zone), "Fri,
 * Dec 4, 14:30" for a timed one (on a clock in the user's zone), in the user's locale; the year
 * only when it is not this year.
 */
export function formatDue(todo: Pick<Todo, 'dueDate' | 'allDay'>, prefs: TimePreferences, now = Date.now()): string {
  if (!todo.dueDate) return '';
  const instant = Date.parse(todo.dueDate);
  const thisYear = zonedDate(now, prefs.timeZone).slice(0, 4);
  const year = (todo.allDay ? todo.dueDate.slice(0, 4) : zonedDate(instant, prefs.timeZone).slice(0, 4)) !== thisYear;
  const date: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric', ...(year ? { year: 'numeric' } : {}) };
  if (todo.allDay) return format(prefs.locale, { ...date, timeZone: 'UTC' }).format(instant);
  return format(prefs.locale, { ...date, hour: 'numeric', minute: '2-digit', timeZone: prefs.timeZone }).format(instant);
}

/** The full date and time with the zone, for a tooltip ("Friday, December 4, 2026 at 2:30 PM GMT+1"). */
export function formatDueFull(todo: Pick<Todo, 'dueDate' | 'allDay'>, prefs: TimePreferences): string {
  if (!todo.dueDate) return '';
  const instant = Date.parse(todo.dueDate);
  if (todo.allDay) return `${format(prefs.locale, { dateStyle: 'full', timeZone: 'UTC' }).format(instant)} (all day)`;
  return format(prefs.locale, { dateStyle: 'full', timeStyle: 'long', timeZone: prefs.timeZone }).format(instant);
}

/**
 * A reminder's time for people, on a clock in the user's zone: "2:30 PM" today, "Sat, Dec 5,
 * 9:00 AM" on another day (the year only when it is not this year).
 */
export function formatReminder(remindAt: string, prefs: TimePreferences, now = Date.now()): string {
  const instant = Date.parse(remindAt);
  const day = zonedDate(instant, prefs.timeZone);
  const today = zonedDate(now, prefs.timeZone);
  const time: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit', timeZone: prefs.timeZone };
  if (day === today) return format(prefs.locale, time).format(instant);
  const year = day.slice(0, 4) !== today.slice(0, 4) ? { year: 'numeric' as const } : {};
  return format(prefs.locale, { weekday: 'short', month: 'short', day: 'numeric', ...year, ...time }).format(instant);
}

/** The full date and time of a reminder with the zone, for a tooltip. */
export function formatReminderFull(remindAt: string, prefs: TimePreferences): string {
  return format(prefs.locale, { dateStyle: 'full', timeStyle: 'long', timeZone: prefs.timeZone }).format(Date.parse(remindAt));
}
