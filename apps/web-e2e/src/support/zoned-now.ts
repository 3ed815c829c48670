/** The date (`YYYY-MM-DD`), hour and time (`HH:mm`) a clock in `zone` shows at `at`. */
export function wallClockIn(zone: string, at: Date | number = new Date()): { date: string; hour: number; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const hour = Number(parts['hour']) % 24;
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    hour,
    time: `${String(hour).padStart(2, '0')}:${parts['minute']}`,
  };
}

/** Today's date and the hour in `zone`, as the browser under test sees them there. */
export function nowIn(zone: string): { date: string; hour: number } {
  const { date, hour } = wallClockIn(zone);
  return { date, hour };
}
