import { checkTimeZone, userDay, viewWindow } from './todo-days';

describe("the user's day", () => {
  it('starts and ends at local midnight, 23 hours long on the day clocks go forward', () => {
    const day = userDay(new Date('2026-03-28T23:30:00Z'), 'Europe/Berlin'); // 00:30 on the 29th
    expect(day.today.toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(day.startOf(0).toISOString()).toBe('2026-03-28T23:00:00.000Z'); // 00:00 CET
    expect(day.startOf(1).toISOString()).toBe('2026-03-29T22:00:00.000Z'); // 00:00 CEST
    expect(day.dateOf(7).toISOString()).toBe('2026-04-05T00:00:00.000Z');
  });

  it('is 25 hours long when they go back, and crosses months and years', () => {
    const day = userDay(new Date('2026-10-25T12:00:00Z'), 'America/Sao_Paulo');
    expect(day.startOf(1).getTime() - day.startOf(0).getTime()).toBe(24 * 3600_000);
    const fall = userDay(new Date('2026-10-25T12:00:00Z'), 'Europe/London');
    expect(fall.startOf(1).getTime() - fall.startOf(0).getTime()).toBe(25 * 3600_000);
    const newYear = userDay(new Date('2026-12-31T20:00:00Z'), 'Asia/Tokyo'); // 05:00 on 1 January
    expect(newYear.today.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('builds the windows of the views and refuses others', () => {
    const day = userDay(new Date('2026-06-10T08:00:00Z'), 'UTC');
    expect(viewWindow('', day)).toBeUndefined();
    expect(viewWindow('today', day)).toEqual({ to: new Date('2026-06-11T00:00:00Z'), toDate: new Date('2026-06-11T00:00:00Z') });
    expect(viewWindow('upcoming', day)).toMatchObject({ from: day.now, fromDate: day.today, toDate: new Date('2026-06-17T00:00:00Z') });
    expect(() => viewWindow('week', day)).toThrow(/today or upcoming/);
  });

  it('accepts IANA zones in their canonical spelling, and empty as UTC', () => {
    expect(checkTimeZone('')).toBe('UTC');
    expect(checkTimeZone('europe/berlin')).toBe('Europe/Berlin');
    for (const bad of ['Mars/Olympus', 'GMT+25', 'x'.repeat(65)]) expect(() => checkTimeZone(bad)).toThrow(/IANA/);
  });
});
