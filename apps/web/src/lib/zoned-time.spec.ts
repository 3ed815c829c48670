import { addDays, zonedDate, zonedInstant, zonedTime } from './zoned-time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('zoned-time', () => {
  it('reads the calendar date and time on a clock in the zone', () => {
    const at = Date.parse('2026-12-04T23:30:00Z');
    expect(zonedDate(at, 'UTC')).toBe('2026-12-04');
    expect(zonedDate(at, 'Europe/Berlin')).toBe('2026-12-05');
    expect(zonedTime(at, 'Europe/Berlin')).toBe('00:30');
    expect(zonedDate(at, 'America/Los_Angeles')).toBe('2026-12-04');
    expect(zonedTime(at, 'America/Los_Angeles')).toBe('15:30');
    expect(zonedTime(Date.parse('2026-12-04T00:05:00Z'), 'UTC')).toBe('00:05');
  });

  it('adds calendar days across month, year and DST changes', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('turns a wall-clock time in a zone into its instant', () => {
    expect(iso(zonedInstant('2026-12-04', '14:30', 'Europe/Berlin'))).toBe('2026-12-04T13:30:00.000Z');
    expect(iso(zonedInstant('2026-07-04', '14:30', 'Europe/Berlin'))).toBe('2026-07-04T12:30:00.000Z');
    expect(iso(zonedInstant('2026-12-04', '23:45', 'Asia/Tokyo'))).toBe('2026-12-04T14:45:00.000Z');
    expect(iso(zonedInstant('2026-12-04', '00:00', 'America/New_York'))).toBe('2026-12-04T05:00:00.000Z');
    expect(iso(zonedInstant('2026-12-04', '09:00', 'UTC'))).toBe('2026-12-04T09:00:00.000Z');
    expect(iso(zonedInstant('2026-12-04', '09:00', 'Asia/Kolkata'))).toBe('2026-12-04T03:30:00.000Z');
  });

  it('on the DST days: a skipped time moves forward, a repeated one is its first occurrence', () => {
    // Berlin 2026-03-29: 02:00 → 03:00. 02:30 does not exist and becomes 03:30 CEST.
    expect(iso(zonedInstant('2026-03-29', '02:30', 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(zonedInstant('2026-03-29', '01:30', 'Europe/Berlin'))).toBe('2026-03-29T00:30:00.000Z');
    expect(iso(zonedInstant('2026-03-29', '03:30', 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
    // Berlin 2026-10-25: 03:00 → 02:00. 02:30 happens twice: the CEST one first.
    expect(iso(zonedInstant('2026-10-25', '02:30', 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(zonedInstant('2026-10-25', '03:30', 'Europe/Berlin'))).toBe('2026-10-25T02:30:00.000Z');
    // New York 2026-03-08: 02:00 → 03:00.
    expect(iso(zonedInstant('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(zonedInstant('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });
});
