import { TZDate } from '@date-fns/tz';
import { TODO_LIMITS } from '@micronote/contracts';
import { RRule } from 'rrule';

import { TodoErrors } from './todos.errors';

const FREQUENCIES = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
const DAY = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/;
const UNTIL = /^\d{8}(T\d{6}Z?)?$/;

/** Each part the API takes (API-v2.md "Recurrence") and how its value is checked; anything else is a 400. */
const PARTS: Record<string, (value: string) => boolean> = {
  FREQ: (value) => FREQUENCIES.has(value),
  INTERVAL: (value) => inRange(value, 1, TODO_LIMITS.recurrence.maxInterval),
  COUNT: (value) => inRange(value, 1, TODO_LIMITS.recurrence.maxCount),
  UNTIL: (value) => UNTIL.test(value),
  BYDAY: (value) =>
    value.split(',').every((day) => {
      const match = DAY.exec(day);
      return match !== null && (match[1] === undefined || (Math.abs(Number(match[1])) >= 1 && Math.abs(Number(match[1])) <= 53));
    }),
  BYMONTHDAY: (value) => value.split(',').every((day) => /^-?\d{1,2}$/.test(day) && Number(day) !== 0 && Math.abs(Number(day)) <= 31),
};

function inRange(value: string, min: number, max: number): boolean {
  return /^\d{1,4}$/.test(value) && Number(value) >= min && Number(value) <= max;
}

/**
 * An RRULE as the API takes it: `FREQ` (DAILY, WEEKLY, MONTHLY, YEARLY) and optionally INTERVAL,
 * BYDAY, BYMONTHDAY, COUNT, UNTIL (not both), upper-cased, an optional `RRULE:` prefix dropped.
 * Returns the canonical text (the parts in the order given); 400 with the reason otherwise.
 */
export function checkRecurrence(value: string): string {
  const text = value
    .trim()
    .replace(/^RRULE:/i, '')
    .toUpperCase();
  const invalid = (why: string) => TodoErrors.invalid(`recurrence must be an RRULE such as FREQ=WEEKLY;BYDAY=MO: ${why}`);
  if (text.length === 0 || text.length > TODO_LIMITS.recurrence.max) throw invalid(`1 to ${TODO_LIMITS.recurrence.max} characters`);
  const seen = new Set<string>();
  for (const part of text.split(';')) {
    const [key, partValue, extra] = part.split('=');
    const check = PARTS[key];
    if (!check) throw invalid(`${key || 'an empty part'} is not supported (FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL)`);
    if (extra !== undefined || partValue === undefined || !check(partValue)) throw invalid(`${key} has a bad value`);
    if (seen.has(key)) throw invalid(`${key} is given twice`);
    seen.add(key);
  }
  if (!seen.has('FREQ')) throw invalid('FREQ is missing');
  if (seen.has('COUNT') && seen.has('UNTIL')) throw invalid('COUNT and UNTIL exclude each other');
  try {
    RRule.parseString(text);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  return text;
}

/** An instant as the wall-clock time it is in `timeZone`, written as if that were UTC (rrule's "floating" times). */
function toWallClock(instant: Date, timeZone: string): Date {
  const local = new TZDate(instant.getTime(), timeZone);
  return new Date(
    Date.UTC(
      local.getFullYear(),
      local.getMonth(),
      local.getDate(),
      local.getHours(),
      local.getMinutes(),
      local.getSeconds(),
      local.getMilliseconds(),
    ),
  );
}

/** A wall-clock time in `timeZone` back to its instant (a time skipped by DST moves forward, as the zone's clocks do). */
function fromWallClock(wall: Date, timeZone: string): Date {
  const instant = new TZDate(
    wall.getUTCFullYear(),
    wall.getUTCMonth(),
    wall.getUTCDate(),
    wall.getUTCHours(),
    wall.getUTCMinutes(),
    wall.getUTCSeconds(),
    wall.getUTCMilliseconds(),
    timeZone,
  );
  return new Date(instant.getTime());
}

export interface Series {
  rule: string;
  /** The due date the series started from (its DTSTART: COUNT counts from it). */
  start: Date;
  /** The zone whose wall-clock time is kept (9:00 stays 9:00 across DST); all-day todos ignore it. */
  timeZone: string;
  allDay: boolean;
}

/**
 * The occurrence after `current` (a due date of the series), or null when the series has ended
 * (COUNT reached, past UNTIL). Computed on wall-clock time in the series' zone, so a todo due at
 * 9:00 is due at 9:00 after a DST change too; an all-day todo's dates are dates.
 */
export function nextOccurrence(series: Series, current: Date): Date | null {
  const zone = series.allDay ? 'UTC' : series.timeZone;
  const options = RRule.parseString(series.rule);
  const rule = new RRule({ ...options, dtstart: toWallClock(series.start, zone) });
  const next = rule.after(toWallClock(current, zone), false);
  return next === null ? null : fromWallClock(next, zone);
}
