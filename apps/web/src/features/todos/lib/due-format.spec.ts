import { formatDue, formatDueFull } from './due-format';

const NOW = Date.parse('2026-12-04T09:00:00Z');

describe('formatDue', () => {
  it('shows a timed todo on a clock in the user’s zone, in the user’s locale', () => {
    const todo = { dueDate: '2026-12-04T13:30:00.000Z', allDay: false };
    expect(formatDue(todo, { timeZone: 'Europe/Berlin', locale: 'en-GB' }, NOW)).toBe('Fri 4 Dec, 14:30');
    expect(formatDue(todo, { timeZone: 'America/New_York', locale: 'en-US' }, NOW)).toBe('Fri, Dec 4, 8:30 AM');
    expect(formatDue(todo, { timeZone: 'Asia/Tokyo', locale: 'de-DE' }, NOW)).toBe('Fr., 4. Dez., 22:30');
  });

  it('shows an all-day todo as its date without a time, the same in every zone', () => {
    const todo = { dueDate: '2026-12-04T00:00:00.000Z', allDay: true };
    expect(formatDue(todo, { timeZone: 'America/Los_Angeles', locale: 'en-US' }, NOW)).toBe('Fri, Dec 4');
    expect(formatDue(todo, { timeZone: 'Pacific/Kiritimati', locale: 'en-US' }, NOW)).toBe('Fri, Dec 4');
    expect(formatDue(todo, { timeZone: 'UTC', locale: 'fr-FR' }, NOW)).toBe('ven. 4 déc.');
  });

  it('adds the year when it is not this year', () => {
    expect(formatDue({ dueDate: '2027-01-08T00:00:00.000Z', allDay: true }, { timeZone: 'UTC', locale: 'en-US' }, NOW)).toBe(
      'Fri, Jan 8, 2027',
    );
    // 2026-12-31 23:30Z is already 2027 in Tokyo.
    expect(formatDue({ dueDate: '2026-12-31T23:30:00.000Z', allDay: false }, { timeZone: 'Asia/Tokyo', locale: 'en-GB' }, NOW)).toBe(
      'Fri, 1 Jan 2027, 8:30',
    );
    expect(formatDue({ dueDate: null, allDay: false }, { timeZone: 'UTC', locale: 'en-US' }, NOW)).toBe('');
  });

  it('says the zone in the full form, and "all day" for a date', () => {
    expect(formatDueFull({ dueDate: '2026-12-04T13:30:00.000Z', allDay: false }, { timeZone: 'Europe/Berlin', locale: 'en-GB' })).toContain(
      '14:30:00 CET',
    );
    expect(formatDueFull({ dueDate: '2026-12-04T00:00:00.000Z', allDay: true }, { timeZone: 'Asia/Tokyo', locale: 'en-US' })).toBe(
      'Friday, December 4, 2026 (all day)',
    );
  });
});
