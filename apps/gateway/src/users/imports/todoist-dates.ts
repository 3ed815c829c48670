import { TZDate } from '@date-fns/tz';
import { TODO_LIMITS } from '@micronote/contracts';

/** A Todoist DATE as MicroNote's due fields: `dueDate` `YYYY-MM-DD` (all-day) or a UTC instant, and an RRULE when it repeats. */
export interface TodoistDue {
  dueDate: string;
  allDay: boolean;
  recurrence?: string;
}

/** Where a DATE is read: its zone (TIMEZONE, else UTC) and the moment of the import ("today", the first occurrence). */
export interface DateContext {
  timeZone: string;
  now: Date;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
/** `monday`, `mondays`, `mon`, `tues`…: the RRULE day. */
const WEEKDAY_WORDS: Record<string, string> = Object.fromEntries(
  (
    [
      ['MO', 'monday', 'mon'],
      ['TU', 'tuesday', 'tue', 'tues'],
      ['WE', 'wednesday', 'wed', 'weds'],
      ['TH', 'thursday', 'thu', 'thur', 'thurs'],
      ['FR', 'friday', 'fri'],
      ['SA', 'saturday', 'sat'],
      ['SU', 'sunday', 'sun'],
    ] as const
  ).flatMap(([code, full, ...short]) => [[full, code], [`${full}s`, code], ...short.map((word) => [word, code])]),
);
const WEEKDAY_ORDER = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const WORKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR'];

interface Day {
  year: number;
  month: number;
  day: number;
}
interface Time {
  hour: number;
  minute: number;
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');
const isoDay = ({ year, month, day }: Day) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** A real calendar day within what MicroNote stores. */
function validDay(year: number, month: number, day: number): Day | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < TODO_LIMITS.dueDate.minYear || year > TODO_LIMITS.dueDate.maxYear) return null;
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? { year, month, day } : null;
}

function today({ timeZone, now }: DateContext): Day {
  const local = new TZDate(now.getTime(), timeZone);
  return { year: local.getFullYear(), month: local.getMonth() + 1, day: local.getDate() };
}

function addDays({ year, month, day }: Day, days: number): Day {
  const date = new Date(Date.UTC(year, month - 1, day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

const weekdayOf = ({ year, month, day }: Day) => WEEKDAY_ORDER[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];

/** `14:30`, `9am`, `2:30 pm`, `at 9`, `@ 18:00` at the end of a date: the time and the rest. A bare number is no time (`every 15`). */
function splitTime(text: string): { rest: string; time: Time | null } | null {
  const match = /(?:^|\s+)(?:(at|@)\s*)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/.exec(text);
  if (!match || (!match[1] && match[3] === undefined && !match[4])) return { rest: text, time: null };
  let hour = Number(match[2]);
  const minute = match[3] === undefined ? 0 : Number(match[3]);
  if (match[4]) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (match[4] === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return { rest: text.slice(0, match.index).trim(), time: { hour, minute } };
}

/** The day as MicroNote's due fields: all-day without a time, else the instant that wall-clock time is in the zone. */
function dueOn(day: Day, time: Time | null, timeZone: string): TodoistDue {
  if (!time) return { dueDate: isoDay(day), allDay: true };
  const instant = new TZDate(day.year, day.month - 1, day.day, time.hour, time.minute, timeZone);
  return { dueDate: new Date(instant.getTime()).toISOString(), allDay: false };
}

/** `jun`, `june`, `sept`: 1..12, else 0. */
const monthOf = (word: string) => {
  const index = MONTHS.findIndex((name) => word.length >= 3 && name.startsWith(word.replace(/^sept$/, 'sep')));
  return index + 1;
};

/** An absolute day: `2026-06-15`, `Jun 15 2026`, `June 15, 2026`, `15 Jun 2026`, `Jun 15` (the next one); today / tomorrow. */
function absoluteDay(text: string, context: DateContext): Day | null | undefined {
  if (text === 'today' || text === 'tod') return today(context);
  if (text === 'tomorrow' || text === 'tom') return addDays(today(context), 1);
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match) return validDay(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$/.exec(text) ?? null;
  let month = 0;
  let day = 0;
  let year: number | undefined;
  if (match && monthOf(match[1])) {
    [month, day, year] = [monthOf(match[1]), Number(match[2]), match[3] ? Number(match[3]) : undefined];
  } else {
    match = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:,?\s+(\d{4}))?$/.exec(text);
    if (!match || !monthOf(match[2])) return undefined;
    [month, day, year] = [monthOf(match[2]), Number(match[1]), match[3] ? Number(match[3]) : undefined];
  }
  if (year !== undefined) return validDay(year, month, day);
  const now = today(context);
  const thisYear = validDay(now.year, month, day);
  if (thisYear && isoDay(thisYear) >= isoDay(now)) return thisYear;
  return validDay(now.year + 1, month, day);
}

/** `2026-06-15T14:30:00Z`, `2026-06-15T14:30+02:00`: an instant that says its offset. */
function explicitInstant(raw: string): TodoistDue | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(raw)) return null;
  const instant = new Date(raw);
  return Number.isNaN(instant.getTime()) ? null : { dueDate: instant.toISOString(), allDay: false };
}

/** The weekdays of `monday`, `mon, fri`, `tue and thu`, `mon & wed`, in week order (null when any word is no weekday). */
function weekdayList(text: string): string[] | null {
  const codes = text
    .split(/\s*(?:,|&|\band\b)\s*/)
    .filter(Boolean)
    .map((word) => WEEKDAY_WORDS[word]);
  if (codes.length === 0 || codes.some((code) => !code)) return null;
  return WEEKDAY_ORDER.filter((code) => codes.includes(code));
}

const FREQUENCIES: Record<string, string> = { day: 'DAILY', week: 'WEEKLY', month: 'MONTHLY', year: 'YEARLY' };
const ADVERBS: Record<string, string> = { daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY', yearly: 'YEARLY', annually: 'YEARLY' };

/** The RRULE of a Todoist repetition (`every …` without its time), and which day it first falls on; null when it does not map cleanly. */
function repetition(text: string, context: DateContext): { rule: string; first: Day } | null {
  const start = today(context);
  if (ADVERBS[text]) return { rule: `FREQ=${ADVERBS[text]}`, first: start };
  const match = /^every!?\s+(.+)$/.exec(text);
  if (!match) return null;
  let body = match[1].trim();
  let interval = 1;
  const counted = /^(other|\d{1,3})\s+(.+)$/.exec(body);
  if (counted) {
    interval = counted[1] === 'other' ? 2 : Number(counted[1]);
    body = counted[2];
  }
  if (interval < 1 || interval > TODO_LIMITS.recurrence.maxInterval) return null;
  const every = interval > 1 ? `;INTERVAL=${interval}` : '';
  const unit = /^(day|week|month|year)s?$/.exec(body);
  if (unit) return { rule: `FREQ=${FREQUENCIES[unit[1]]}${every}`, first: start };
  const days = /^(weekday|workday)s?$/.test(body) ? WORKDAYS : weekdayList(body);
  if (days) {
    let first = start;
    while (!days.includes(weekdayOf(first))) first = addDays(first, 1);
    return { rule: `FREQ=WEEKLY${every};BYDAY=${days.join(',')}`, first };
  }
  const monthDay = !counted ? /^(\d{1,2})(st|nd|rd|th)?$/.exec(body) : null;
  if (monthDay && Number(monthDay[1]) >= 1 && Number(monthDay[1]) <= 31) {
    const day = Number(monthDay[1]);
    let first = start;
    while (first.day !== day) first = addDays(first, 1);
    return { rule: `FREQ=MONTHLY;BYMONTHDAY=${day}`, first };
  }
  return null;
}

/**
 * A Todoist DATE cell (English, as DATE_LANG `en` writes it) as MicroNote's due fields, or null
 * when it means nothing MicroNote can keep exactly (`next friday`, `every last day`, `every 3rd
 * tue starting aug`, another language): the caller keeps the text and warns. Absolute dates
 * (`2026-06-15`, `Jun 15 2026`, with or without a time such as `14:00` / `9am`) and `today` /
 * `tomorrow`; a date without a time is all-day, a time is wall-clock in `timeZone`. Repetitions
 * (`every day`, `every 3 days`, `every other week`, `every monday`, `every mon, fri`, `every
 * weekday`, `every month`, `every 15th`, `every year`, `daily`…, `every!` alike) become an RRULE;
 * Todoist's CSV does not carry the next due date of a repeating task, so the first occurrence on
 * or after today is its due date.
 */
export function parseTodoistDate(raw: string, context: DateContext): TodoistDue | null {
  const trimmed = raw.trim();
  const instant = explicitInstant(trimmed);
  if (instant) return instant;
  const isoWithTime = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(trimmed);
  if (isoWithTime) {
    const [year, month, day] = isoWithTime[1].split('-').map(Number);
    const date = validDay(year, month, day);
    const time = { hour: Number(isoWithTime[2]), minute: Number(isoWithTime[3]) };
    return date && time.hour < 24 && time.minute < 60 ? dueOn(date, time, context.timeZone) : null;
  }
  const text = trimmed.toLowerCase().replace(/\s+/g, ' ');
  const split = splitTime(text);
  if (!split || !split.rest) return null;
  const repeated = repetition(split.rest, context);
  if (repeated) return { ...dueOn(repeated.first, split.time, context.timeZone), recurrence: repeated.rule };
  const day = absoluteDay(split.rest, context);
  return day ? dueOn(day, split.time, context.timeZone) : null;
}
