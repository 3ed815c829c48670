import type { TodoPriority } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';
import type { ParsedResult, Parser } from 'chrono-node/en';
import { casual } from 'chrono-node/en';

import { addDays, offsetAt, zonedDate, zonedTime } from '../../../lib/zoned-time';
import type { DueInput } from './due-input';
import { DEFAULT_DUE_TIME } from './due-input';
import type { RepeatState, RepeatUnit, Weekday } from './recurrence';
import { NO_REPEAT, weekdayOf, WEEKDAYS } from './recurrence';

/**
 * The quick add's natural language: "Pay rent every month on the 1st at 9am !high #home" is the
 * text "Pay rent", due on the next 1st at 09:00 in the user's zone, repeating monthly on the 1st,
 * priority high, category "home".
 *
 * - Dates and times are chrono-node's (English, casual: "tomorrow 5pm", "next friday", "in 3
 *   days", "dec 25"), plus "on the 1st" (the next such day of a month), read on the user's
 *   wall clock (`timeZone`). A time already past today means tomorrow ("9am" at 10:00); an hour
 *   from 1 to 6 without am/pm is the afternoon's ("at 5": 17:00). Alone, a month name or a
 *   weekday's abbreviation is no date ("March for climate", "Fix the sun roof"), nor is a date
 *   word used as a noun ("tomorrow's agenda").
 * - `!high` `!medium` `!low` (`!1` `!2` `!3`, 1 the highest), anywhere in the text.
 * - `#category`: `#` then a letter ("Call #2 back" has none), up to the category limit; an
 *   existing category's spelling is kept ("#Home" → "home" when "home" exists).
 * - Repeats: "every day / weekday / week / month / year", "daily", "weekly", "monthly",
 *   "yearly", "every monday and thursday", "every 2 weeks", "every other day", "every 15th",
 *   "every month on the last day", then "10 times" or "until dec 31". The rule is the repeat
 *   picker's state (recurrence.ts builds the RRULE from it and the due date, as for the picker);
 *   without a date in the text the todo is due on the rule's first day from today.
 * - Only the first of each kind counts; the others stay in the text.
 * - Kept literal: anything in double quotes (`Read "next friday" by Neil`; the quotes stay),
 *   and each part whose key is in `literal` (the chips' remove buttons).
 *
 * This module (and chrono-node with it) is loaded on demand by the quick add: keep it out of
 * static imports.
 */

export type QuickAddPartKind = 'due' | 'repeat' | 'priority' | 'category';

export interface QuickAddPart {
  kind: QuickAddPartKind;
  /** Where its words are in the input (`[start, end)`, UTF-16 indices), in order. */
  spans: [number, number][];
  /** Its words as typed. */
  source: string;
  /** What `literal` takes to keep these words as text: the kind and the words. */
  key: string;
}

export interface QuickAddParse {
  /** The input without the recognised parts, spaces collapsed, trimmed. */
  text: string;
  parts: QuickAddPart[];
  due?: DueInput;
  repeat?: RepeatState;
  priority?: TodoPriority;
  category?: string;
}

export interface QuickAddOptions {
  /** The reference instant (ms since the epoch). */
  now: number;
  /** The user's IANA zone: "tomorrow 5pm" is 17:00 on that wall clock. */
  timeZone: string;
  /** Keys (`QuickAddPart.key`) of parts to leave as text. */
  literal?: ReadonlySet<string>;
  /** The user's categories, to keep their spelling. */
  categories?: readonly string[];
}

export const partKey = (kind: QuickAddPartKind, source: string) => `${kind}:${source.trim().replace(/\s+/g, ' ').toLowerCase()}`;

const NOT_WORD_BEFORE = String.raw`(?<![\p{L}\p{N}_])`;
const NOT_WORD_AFTER = String.raw`(?![\p{L}\p{N}_])`;

const PRIORITY = new RegExp(`(?<![\\p{L}\\p{N}_!])!(high|medium|med|low|1|2|3)${NOT_WORD_AFTER}`, 'giu');
const PRIORITY_OF: Record<string, TodoPriority> = {
  high: 'high',
  '1': 'high',
  medium: 'medium',
  med: 'medium',
  '2': 'medium',
  low: 'low',
  '3': 'low',
};

const CATEGORY = /(?<![\p{L}\p{N}_#&/])#(\p{L}[\p{L}\p{N}_-]*)/gu;

/** Double-quoted text (straight or curly quotes); one still open runs to the end. */
const QUOTED = /"[^"]*(?:"|$)|“[^”]*(?:”|$)/g;

const DAY_NAMES: [Weekday, string][] = [
  ['MO', 'mon(?:day)?'],
  ['TU', 'tue(?:s(?:day)?)?'],
  ['WE', 'wed(?:nesday)?'],
  ['TH', 'thu(?:r(?:s(?:day)?)?)?'],
  ['FR', 'fri(?:day)?'],
  ['SA', 'sat(?:urday)?'],
  ['SU', 'sun(?:day)?'],
];
const DAY = `(?:${DAY_NAMES.map(([, p]) => p).join('|')})s?`;
const NUMBER_WORDS = ['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const UNIT_OF: Record<string, RepeatUnit> = { day: 'DAILY', week: 'WEEKLY', month: 'MONTHLY', year: 'YEARLY' };
const KIND_OF = { DAILY: 'daily', WEEKLY: 'weekly', MONTHLY: 'monthly', YEARLY: 'yearly' } as const;

/** The start of a repeat: "every"/"each" (after an optional "of": "the 1st of every month"), or a "-ly" word. */
const REPEAT_START = new RegExp(
  `${NOT_WORD_BEFORE}(?:(?:of\\s+)?(?:every|each)\\s+|(daily|weekly|monthly|yearly|annually)${NOT_WORD_AFTER})`,
  'giu',
);
// What may follow "every" (sticky: at the position after it).
const EVERY_INTERVAL = new RegExp(`(\\d{1,3}|other|${NUMBER_WORDS.join('|')})\\s+(day|week|month|year)s?${NOT_WORD_AFTER}`, 'iuy');
const EVERY_WEEKDAY = new RegExp(`(?:week|work|business)\\s?days?${NOT_WORD_AFTER}`, 'iuy');
const EVERY_DAYS = new RegExp(`(other\\s+)?(${DAY}(?:(?:\\s*(?:,\\s*and|,|and|&)\\s*|\\s+)${DAY})*)${NOT_WORD_AFTER}`, 'iuy');
const EVERY_UNIT = new RegExp(`(day|week|month|year)${NOT_WORD_AFTER}`, 'iuy');
const EVERY_NTH = new RegExp(`(?:the\\s+)?([12]?\\d|3[01])(?:st|nd|rd|th)(?:\\s+(?:of\\s+the\\s+month|day))?${NOT_WORD_AFTER}`, 'iuy');
const LAST_DAY = new RegExp(`\\s+on\\s+the\\s+last\\s+day(?:\\s+of\\s+the\\s+month)?${NOT_WORD_AFTER}`, 'iuy');
const COUNT = new RegExp(`\\s+(?:for\\s+)?(\\d{1,4})\\s+times${NOT_WORD_AFTER}`, 'iuy');

/** Words before a date that belong to it ("by friday", "due on the 1st"). */
const CONNECTOR_BEFORE = new RegExp(`${NOT_WORD_BEFORE}(?:due(?:\\s+(?:on|by|at))?|by|on|at|before|until)\\s+$`, 'iu');
const UNTIL_BEFORE = new RegExp(`${NOT_WORD_BEFORE}until\\s+$`, 'iu');
/**
 * chrono reads these alone as dates: weekday abbreviations ("Fix the sun roof") and month names
 * ("March for climate"); alone they stay text ("on sun", "in march" are dates).
 */
const BARE_WORD =
  /^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)$/i;
/** A date word used as a noun ("tomorrow's plan") stays text. */
const POSSESSIVE_AFTER = /^['’]s(?![\p{L}\p{N}_])/u;

/** A repeat as read from the text: the picker's state, plus what its first day must be. */
interface RepeatDraft {
  state: RepeatState;
  /** Days of the week it falls on (weekly on named days, weekdays). */
  days?: Weekday[];
  /** Day of the month it falls on: a number, or the last day. */
  monthDay?: number | 'last';
}

function readRepeat(text: string, at: number, ly: string | undefined): { end: number; draft: RepeatDraft } | null {
  if (ly) {
    const word = ly.toLowerCase();
    const unit: RepeatUnit =
      word === 'daily' || word === 'everyday' ? 'DAILY' : word === 'weekly' ? 'WEEKLY' : word === 'monthly' ? 'MONTHLY' : 'YEARLY';
    return { end: at, draft: { state: { ...NO_REPEAT, kind: KIND_OF[unit] } } };
  }
  const sticky = (re: RegExp) => {
    re.lastIndex = at;
    return re.exec(text);
  };
  let m: RegExpExecArray | null;
  if ((m = sticky(EVERY_INTERVAL))) {
    const n = m[1].toLowerCase();
    const interval = n === 'other' ? 2 : /^\d+$/.test(n) ? Number(n) : NUMBER_WORDS.indexOf(n) + 2;
    const unit = UNIT_OF[m[2].toLowerCase()];
    if (interval < 1) return null;
    const state: RepeatState =
      interval === 1
        ? { ...NO_REPEAT, kind: KIND_OF[unit] }
        : { ...NO_REPEAT, kind: 'custom', unit, interval: Math.min(interval, TODO_LIMITS.recurrence.maxInterval) };
    return { end: at + m[0].length, draft: { state } };
  }
  if ((m = sticky(EVERY_WEEKDAY))) {
    return { end: at + m[0].length, draft: { state: { ...NO_REPEAT, kind: 'weekdays' }, days: ['MO', 'TU', 'WE', 'TH', 'FR'] } };
  }
  if ((m = sticky(EVERY_DAYS))) {
    const days = WEEKDAYS.filter((_, i) =>
      new RegExp(`${NOT_WORD_BEFORE}(?:${DAY_NAMES[i][1]})s?${NOT_WORD_AFTER}`, 'iu').test(m?.[2] ?? ''),
    );
    const other = Boolean(m[1]);
    // "every other monday": every 2 weeks from a Monday (one day only; the picker's custom rule has no days).
    if (other && days.length !== 1) return null;
    const state: RepeatState = other
      ? { ...NO_REPEAT, kind: 'custom', unit: 'WEEKLY', interval: 2 }
      : { ...NO_REPEAT, kind: 'weekly', days };
    return { end: at + m[0].length, draft: { state, days } };
  }
  if ((m = sticky(EVERY_NTH))) {
    return { end: at + m[0].length, draft: { state: { ...NO_REPEAT, kind: 'monthly' }, monthDay: Number(m[1]) } };
  }
  if ((m = sticky(EVERY_UNIT))) {
    const unit = UNIT_OF[m[1].toLowerCase()];
    let end = at + m[0].length;
    const draft: RepeatDraft = { state: { ...NO_REPEAT, kind: KIND_OF[unit] } };
    if (unit === 'MONTHLY') {
      LAST_DAY.lastIndex = end;
      const last = LAST_DAY.exec(text);
      if (last) {
        end += last[0].length;
        draft.state.monthDay = 'last';
        draft.monthDay = 'last';
      }
    }
    return { end, draft };
  }
  return null;
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The first `YYYY-MM-DD` on or after `from` that is day `day` of its month. */
function nextMonthDay(from: string, day: number): string {
  let [y, m] = from.split('-').map(Number);
  const d = Number(from.slice(8, 10));
  if (day >= d && day <= daysInMonth(y, m)) return ymd(y, m, day);
  for (;;) {
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
    if (day <= daysInMonth(y, m)) return ymd(y, m, day);
  }
}

/** The rule's first day on or after `from`. */
function firstDay(draft: RepeatDraft, from: string): string {
  if (draft.days?.length) {
    let date = from;
    while (!draft.days.includes(weekdayOf(date))) date = addDays(date, 1);
    return date;
  }
  if (draft.monthDay === 'last') {
    const [y, m] = from.split('-').map(Number);
    return ymd(y, m, daysInMonth(y, m));
  }
  if (typeof draft.monthDay === 'number') return nextMonthDay(from, draft.monthDay);
  return from;
}

/**
 * "on the 15th", "by the 1st", "the 1st at 9am": the next such day of a month (today included),
 * which chrono's English lacks. Without "on"/"by"/… only where nothing but a time or the end
 * follows ("Watch the 3rd episode" has no date).
 */
const MONTH_DAY_PARSER: Parser = {
  pattern: () =>
    new RegExp(
      `${NOT_WORD_BEFORE}(?:(?:on|by|before|until)\\s+the\\s+([12]?\\d|3[01])(?:st|nd|rd|th)|the\\s+([12]?\\d|3[01])(?:st|nd|rd|th)(?=\\s*(?:$|at\\s|of\\s+(?:every|each)\\s|[,;.!#"“]|\\d)))${NOT_WORD_AFTER}`,
      'iu',
    ),
  extract: (context, match) => {
    const ref = context.reference.getDateWithAdjustedTimezone();
    const date = nextMonthDay(ymd(ref.getFullYear(), ref.getMonth() + 1, ref.getDate()), Number(match[1] ?? match[2]));
    const [year, month, day] = date.split('-').map(Number);
    return { year, month, day };
  },
};

let chrono: typeof casual | null = null;
function dateParser(): typeof casual {
  if (!chrono) {
    chrono = casual.clone();
    chrono.parsers.push(MONTH_DAY_PARSER);
  }
  return chrono;
}

const blank = (text: string, [start, end]: [number, number]) => text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);

/** The due fields of a date result; `now` is the wall clock's date and time (`YYYY-MM-DD`, `HH:mm`). */
function dueOf(result: ParsedResult, now: { date: string; time: string }): DueInput {
  const s = result.start;
  let date = ymd(s.get('year') ?? 0, s.get('month') ?? 1, s.get('day') ?? 1);
  if (!s.isCertain('hour')) return { date, time: DEFAULT_DUE_TIME, allDay: true };
  let hour = s.get('hour') ?? 0;
  // "at 5" without am/pm is in the afternoon for a todo (chrono says 05:00): 1–6 o'clock get 12
  // hours, and a time alone is then today's again if that is still ahead.
  if (!s.isCertain('meridiem') && hour >= 1 && hour <= 6 && result.tags().has('parser/ENTimeExpressionParser')) {
    hour += 12;
    const time = `${pad(hour)}:${pad(s.get('minute') ?? 0)}`;
    if (!s.isCertain('day') && !s.isCertain('weekday')) date = time > now.time ? now.date : addDays(now.date, 1);
  }
  return { date, time: `${pad(hour)}:${pad(s.get('minute') ?? 0)}`, allDay: false };
}

export function parseQuickAdd(input: string, options: QuickAddOptions): QuickAddParse {
  const literal = options.literal ?? new Set<string>();
  const parts: QuickAddPart[] = [];
  const result: QuickAddParse = { text: '', parts };
  // What is left to read: quoted text and each part found (or kept literal) become spaces.
  let rest = input;
  for (const m of input.matchAll(QUOTED)) rest = blank(rest, [m.index, m.index + m[0].length]);

  const take = (kind: QuickAddPartKind, spans: [number, number][]): QuickAddPart | null => {
    for (const span of spans) rest = blank(rest, span);
    const source = spans.map(([s, e]) => input.slice(s, e)).join(' ');
    const part = { kind, spans, source, key: partKey(kind, source) };
    if (literal.has(part.key)) return null;
    parts.push(part);
    return part;
  };

  for (const m of rest.matchAll(PRIORITY)) {
    if (take('priority', [[m.index, m.index + m[0].length]])) {
      result.priority = PRIORITY_OF[m[1].toLowerCase()];
      break;
    }
  }

  for (const m of rest.matchAll(CATEGORY)) {
    if (m[1].length > TODO_LIMITS.category.max) continue;
    if (take('category', [[m.index, m.index + m[0].length]])) {
      result.category = options.categories?.find((c) => c.toLowerCase() === m[1].toLowerCase()) ?? m[1];
      break;
    }
  }

  let repeat: { draft: RepeatDraft; part: QuickAddPart } | null = null;
  for (const m of rest.matchAll(REPEAT_START)) {
    const read = readRepeat(rest, m.index + m[0].length, m[1]);
    if (!read) continue;
    COUNT.lastIndex = read.end;
    const count = COUNT.exec(rest);
    if (count) Object.assign(read.draft.state, { end: 'count', count: Math.min(Number(count[1]), TODO_LIMITS.recurrence.maxCount) });
    const part = take('repeat', [[m.index, read.end + (count?.[0].length ?? 0)]]);
    if (part) {
      repeat = { draft: read.draft, part };
      break;
    }
  }

  const zoneOffset = offsetAt(options.now, options.timeZone) / 60_000;
  const today = zonedDate(options.now, options.timeZone);
  const wallNow = { date: today, time: zonedTime(options.now, options.timeZone) };
  const results = dateParser().parse(rest, { instant: new Date(options.now), timezone: zoneOffset }, { forwardDate: true });
  let dueResult: ParsedResult | null = null;
  for (const r of results) {
    if (BARE_WORD.test(r.text.trim()) || POSSESSIVE_AFTER.test(rest.slice(r.index + r.text.length))) continue;
    const before = rest.slice(0, r.index);
    const until =
      repeat?.draft.state.end === 'never' ? (UNTIL_BEFORE.exec(before) ?? (/^until\s/i.test(r.text) ? { index: r.index } : null)) : null;
    if (repeat && until) {
      // "every day until dec 31": the repeat's last day, one part with its "every …" words.
      repeat.draft.state.end = 'until';
      repeat.draft.state.until = dueOf(r, wallNow).date;
      const span: [number, number] = [until.index, r.index + r.text.length];
      rest = blank(rest, span);
      repeat.part.spans.push(span);
      repeat.part.source += ` ${input.slice(...span)}`;
      continue;
    }
    if (dueResult) continue;
    const connector = CONNECTOR_BEFORE.exec(before);
    if (take('due', [[connector ? connector.index : r.index, r.index + r.text.length]])) dueResult = r;
  }

  if (dueResult) {
    const due = dueOf(dueResult, wallNow);
    // "the 1st at 9am" on the 1st after 9: the next month's (chrono moves only a time-only result forward).
    const monthDay = /the\s+(\d+)/i.exec(dueResult.text);
    if (monthDay && due.date === today && !due.allDay && due.time <= wallNow.time) {
      due.date = nextMonthDay(addDays(today, 1), Number(monthDay[1]));
    }
    result.due = due;
  }
  if (repeat) {
    // The first occurrence: the rule's first day from the date given (chrono moved a time already
    // past today to tomorrow), or from today, all day.
    const due = result.due ?? { date: today, time: DEFAULT_DUE_TIME, allDay: true };
    result.due = { ...due, date: firstDay(repeat.draft, due.date) };
    result.repeat = repeat.draft.state;
  }

  const removed = new Set<number>();
  for (const part of parts) for (const [s, e] of part.spans) for (let i = s; i < e; i++) removed.add(i);
  result.text = input
    .split('')
    .map((c, i) => (removed.has(i) ? ' ' : c))
    .join('')
    .replace(/\s+/g, ' ')
    .replace(/[\s,;:–-]+$/u, '')
    .trim();
  parts.sort((a, b) => a.spans[0][0] - b.spans[0][0]);
  return result;
}
