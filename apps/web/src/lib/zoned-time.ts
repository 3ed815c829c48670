/**
 * Calendar dates and wall-clock times in an IANA zone, with `Intl` only. Days are compared as
 * calendar dates (`YYYY-MM-DD`) in the zone, never by adding 24 h to an instant, so days of 23
 * or 25 hours (daylight saving time) count as one day.
 */

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** What a clock in `timeZone` shows at `instant` (ms since the epoch). */
export function wallTime(instant: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts['year'],
    month: parts['month'],
    day: parts['day'],
    // Some engines say 24 for midnight even with h23.
    hour: parts['hour'] % 24,
    minute: parts['minute'],
    second: parts['second'],
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The calendar date (`YYYY-MM-DD`) in `timeZone` at `instant`. */
export function zonedDate(instant: number, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The wall-clock time (`HH:mm`) in `timeZone` at `instant`. */
export function zonedTime(instant: number, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** `YYYY-MM-DD` plus `days` calendar days (pure date arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The zone's offset from UTC at `instant`, in ms (+01:00 → 3_600_000). */
export function offsetAt(instant: number, timeZone: string): number {
  const w = wallTime(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which a clock in `timeZone` shows `date` (`YYYY-MM-DD`) `time` (`HH:mm`). A time
 * that happens twice (the hour repeated when clocks go back) is its first occurrence; one that
 * never happens (skipped when clocks go forward) is moved forward by the gap (02:30 → 03:30), as
 * Temporal's "compatible" disambiguation does.
 */
export function zonedInstant(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const local = Date.UTC(y, m - 1, d, hh, mm);
  // A transition is at most one per day: the offsets a day before and after bracket it.
  const offsets = [...new Set([offsetAt(local - 86_400_000, timeZone), offsetAt(local, timeZone), offsetAt(local + 86_400_000, timeZone)])];
  const matching = offsets.map((offset) => local - offset).filter((instant) => offsetAt(instant, timeZone) === local - instant);
  if (matching.length > 0) return Math.min(...matching);
  // In the gap: the offset before the transition (the smaller one) carries the time past it.
  return local - Math.min(...offsets);
}
