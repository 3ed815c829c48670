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

/** ISO-8601 of a nullable time, or undefined (an unset proto field). */
export function isoOrUndefined(date: Date | null | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}

/** The version and times every twin row carries, as the proto messages name them. */
export function versionAndTimes(row: { version: number; created_at: Date; updated_at: Date }): {
  version: number;
  createdAt: string;
  updatedAt: string;
} {
  return { version: Number(row.version), createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() };
}
