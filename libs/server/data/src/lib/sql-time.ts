/** A DATETIME(3) literal as cursors carry it: `2026-01-01 00:00:00.000`. */
export const SQL_TIME_PATTERN = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

/** DATETIME(3) literal of a Date, in UTC (the connection's time zone): the one time formatting of every query and cursor. */
export function sqlTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** The same, or null for no time (a nullable column). */
export function sqlTimeOrNull(date: Date | null | undefined): string | null {
  return date ? sqlTime(date) : null;
}

export function isSqlTime(value: unknown): value is string {
  return typeof value === 'string' && SQL_TIME_PATTERN.test(value);
}
