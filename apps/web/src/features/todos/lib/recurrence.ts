import { TODO_LIMITS } from '@micronote/contracts';

/**
 * The repeat picker's state and the RRULE (RFC 5545, the subset of API-v2 "Recurrence") it
 * stands for, both ways. A rule the picker cannot show (e.g. `BYDAY=2TU` set through the API)
 * is kept as it is (`kind: 'keep'`) until the user picks something else.
 */

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_NAME: Record<Weekday, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const WORKWEEK: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR'];

export type RepeatKind = 'none' | 'daily' | 'weekdays' | 'weekly' | 'monthly' | 'yearly' | 'custom' | 'keep';
export type RepeatUnit = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
export type RepeatEndKind = 'never' | 'count' | 'until';

export interface RepeatState {
  kind: RepeatKind;
  /** Weekly: the days (none chosen: the due date's). */
  days: Weekday[];
  /** Monthly: on the due date's day of the month, or on the last day (`BYMONTHDAY=-1`). */
  monthDay: 'date' | 'last';
  /** Custom: every `interval` `unit`s. */
  interval: number;
  unit: RepeatUnit;
  end: RepeatEndKind;
  /** `end: 'count'`: how many times in all. */
  count: number;
  /** `end: 'until'`: the last date (`YYYY-MM-DD`), included. */
  until: string;
  /** `kind: 'keep'`: the rule as it came. */
  rule: string;
}

export const NO_REPEAT: RepeatState = {
  kind: 'none',
  days: [],
  monthDay: 'date',
  interval: 2,
  unit: 'WEEKLY',
  end: 'never',
  count: 10,
  until: '',
  rule: '',
};

/** The due date the rule is built on: `YYYY-MM-DD` ('' none) and whether it is all day. */
export interface RepeatDue {
  date: string;
  allDay: boolean;
}

/** The weekday (`MO`…) of a `YYYY-MM-DD` date. */
export function weekdayOf(date: string): Weekday {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return WEEKDAYS[(day + 6) % 7];
}

const sortDays = (days: readonly Weekday[]): Weekday[] => WEEKDAYS.filter((d) => days.includes(d));

/**
 * The RRULE of the picker, or null (does not repeat, or no due date: a rule needs one). Monthly
 * takes its day from the due date. An end date is included: `UNTIL=YYYYMMDD` for an all-day todo,
 * `UNTIL=YYYYMMDDT235959` (the end of that day on the todo's wall clock) for a timed one, whose
 * occurrence on that day would otherwise fall after a midnight `UNTIL`.
 */
export function toRrule(state: RepeatState, due: RepeatDue): string | null {
  if (state.kind === 'none' || !due.date) return null;
  if (state.kind === 'keep') return state.rule || null;
  const parts: string[] = [];
  switch (state.kind) {
    case 'daily':
      parts.push('FREQ=DAILY');
      break;
    case 'weekdays':
      parts.push('FREQ=WEEKLY', `BYDAY=${WORKWEEK.join(',')}`);
      break;
    case 'weekly':
      parts.push('FREQ=WEEKLY', `BYDAY=${(state.days.length ? sortDays(state.days) : [weekdayOf(due.date)]).join(',')}`);
      break;
    case 'monthly':
      parts.push('FREQ=MONTHLY', `BYMONTHDAY=${state.monthDay === 'last' ? -1 : Number(due.date.slice(8, 10))}`);
      break;
    case 'yearly':
      parts.push('FREQ=YEARLY');
      break;
    case 'custom':
      parts.push(`FREQ=${state.unit}`, `INTERVAL=${clampInterval(state.interval)}`);
      break;
  }
  if (state.end === 'count') parts.push(`COUNT=${Math.min(Math.max(Math.trunc(state.count) || 1, 1), TODO_LIMITS.recurrence.maxCount)}`);
  if (state.end === 'until' && /^\d{4}-\d{2}-\d{2}$/.test(state.until)) {
    parts.push(`UNTIL=${state.until.replace(/-/g, '')}${due.allDay ? '' : 'T235959'}`);
  }
  return parts.join(';');
}

const clampInterval = (n: number) => Math.min(Math.max(Math.trunc(n) || 1, 1), TODO_LIMITS.recurrence.maxInterval);

/** The parts of an RRULE (upper-cased, `RRULE:` dropped); null when it is not `KEY=VALUE;…`. */
export function rruleParts(rule: string): Map<string, string> | null {
  const text = rule
    .trim()
    .replace(/^RRULE:/i, '')
    .toUpperCase();
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const [key, value, extra] = part.split('=');
    if (!key || value === undefined || extra !== undefined || parts.has(key)) return null;
    parts.set(key, value);
  }
  return parts.has('FREQ') ? parts : null;
}

/**
 * The picker's state for a todo's rule (null: does not repeat). A rule is read into the picker
 * only when the picker writes it back unchanged; anything else is `keep`.
 */
export function fromRrule(rule: string | null, due: RepeatDue): RepeatState {
  if (!rule) return NO_REPEAT;
  const keep: RepeatState = { ...NO_REPEAT, kind: 'keep', rule };
  const parts = rruleParts(rule);
  if (!parts) return keep;
  const freq = parts.get('FREQ') as RepeatUnit;
  const state: RepeatState = { ...NO_REPEAT };
  const count = parts.get('COUNT');
  const until = parts.get('UNTIL');
  if (count) Object.assign(state, { end: 'count', count: Number(count) });
  if (until) Object.assign(state, { end: 'until', until: `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}` });
  const interval = parts.get('INTERVAL');
  const byDay = parts.get('BYDAY');
  const byMonthDay = parts.get('BYMONTHDAY');
  if (interval) Object.assign(state, { kind: 'custom', unit: freq, interval: Number(interval) });
  else if (freq === 'DAILY') state.kind = 'daily';
  else if (freq === 'WEEKLY' && byDay === WORKWEEK.join(',')) state.kind = 'weekdays';
  else if (freq === 'WEEKLY') Object.assign(state, { kind: 'weekly', days: byDay ? (byDay.split(',') as Weekday[]) : [] });
  else if (freq === 'MONTHLY') Object.assign(state, { kind: 'monthly', monthDay: byMonthDay === '-1' ? 'last' : 'date' });
  else if (freq === 'YEARLY') state.kind = 'yearly';
  else return keep;
  const canonical = [...parts].map(([k, v]) => `${k}=${v}`).join(';');
  return toRrule(state, due) === canonical ? state : keep;
}

const ORDINAL_WORD: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '5': 'fifth', '-1': 'last' };

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function list(words: string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const UNIT: Record<string, string> = { DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' };

function dayText(day: string): string {
  const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(day);
  if (!match) return day;
  const name = WEEKDAY_NAME[match[2] as Weekday];
  if (!match[1]) return name;
  const n = String(Number(match[1]));
  return `the ${ORDINAL_WORD[n] ?? (Number(n) < 0 ? `${ordinal(-Number(n))} last` : ordinal(Number(n)))} ${name}`;
}

/**
 * A rule for people, in the style of rrule's `toText` ("Every week on Monday", "Every weekday",
 * "Every month on the last day", "Every 2 weeks, 5 times", "Every day until Dec 31, 2026"). Made
 * here from the parts the API takes, so the SPA does not ship rrule's text module for it.
 */
export function describeRrule(rule: string, locale = 'en-US'): string {
  const parts = rruleParts(rule);
  if (!parts) return 'Repeats';
  const freq = parts.get('FREQ') ?? '';
  const interval = Number(parts.get('INTERVAL') ?? '1');
  const byDay = parts.get('BYDAY')?.split(',');
  const byMonthDay = parts.get('BYMONTHDAY')?.split(',');
  const unit = UNIT[freq] ?? 'time';
  let text: string;
  if (freq === 'WEEKLY' && interval === 1 && byDay?.join(',') === WORKWEEK.join(',')) text = 'Every weekday';
  else text = interval > 1 ? `Every ${interval} ${unit}s` : `Every ${unit}`;
  if (byDay && text !== 'Every weekday') text += ` on ${list(byDay.map(dayText))}`;
  if (byMonthDay) {
    text += ` on the ${list(byMonthDay.map((d) => (d === '-1' ? 'last day' : Number(d) < 0 ? `${ordinal(-Number(d))} last day` : ordinal(Number(d)))))}`;
  }
  const count = parts.get('COUNT');
  if (count) text += count === '1' ? ', once' : `, ${count} times`;
  const until = parts.get('UNTIL');
  if (until && /^\d{8}/.test(until)) {
    const date = Date.UTC(Number(until.slice(0, 4)), Number(until.slice(4, 6)) - 1, Number(until.slice(6, 8)));
    text += ` until ${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date)}`;
  }
  return text;
}
