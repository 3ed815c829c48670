import { checkRecurrence, nextOccurrence } from './todo-recurrence';

const at = (iso: string) => new Date(iso);
const series = (rule: string, start: string, timeZone = 'UTC', allDay = false) => ({ rule, start: at(start), timeZone, allDay });

/** The occurrences after `start`, `count` of them (null once the series has ended). */
function occurrences(s: ReturnType<typeof series>, count: number): (string | null)[] {
  const out: (string | null)[] = [];
  let current: Date | null = s.start;
  for (let i = 0; i < count && current; i++) {
    current = nextOccurrence(s, current);
    out.push(current?.toISOString() ?? null);
  }
  return out;
}

describe('recurrence', () => {
  describe('checkRecurrence', () => {
    it.each([
      ['FREQ=DAILY', 'FREQ=DAILY'],
      ['rrule:freq=weekly;byday=mo,we', 'FREQ=WEEKLY;BYDAY=MO,WE'],
      ['FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=MONTHLY;BYMONTHDAY=-1'],
      ['FREQ=MONTHLY;BYDAY=2TU;COUNT=3', 'FREQ=MONTHLY;BYDAY=2TU;COUNT=3'],
      ['FREQ=YEARLY;INTERVAL=2;UNTIL=20301231T000000Z', 'FREQ=YEARLY;INTERVAL=2;UNTIL=20301231T000000Z'],
    ])('takes %s', (input, canonical) => expect(checkRecurrence(input)).toBe(canonical));

    it.each([
      ['', /1 to 200/],
      ['FREQ=HOURLY', /FREQ has a bad value/],
      ['FREQ=DAILY;BYHOUR=9', /BYHOUR is not supported/],
      ['INTERVAL=2', /FREQ is missing/],
      ['FREQ=DAILY;COUNT=2;UNTIL=20300101', /exclude each other/],
      ['FREQ=DAILY;COUNT=0', /COUNT has a bad value/],
      ['FREQ=DAILY;INTERVAL=1000', /INTERVAL has a bad value/],
      ['FREQ=WEEKLY;BYDAY=XX', /BYDAY has a bad value/],
      ['FREQ=MONTHLY;BYMONTHDAY=32', /BYMONTHDAY has a bad value/],
      ['FREQ=DAILY;FREQ=WEEKLY', /twice/],
      ['FREQ=DAILY;;', /an empty part/],
      ['FREQ==DAILY', /bad value/],
    ])('refuses %j', (input, why) => expect(() => checkRecurrence(input)).toThrow(why));
  });

  describe('nextOccurrence', () => {
    it('skips months without the day, and BYMONTHDAY=-1 is the last day of each month', () => {
      expect(occurrences(series('FREQ=MONTHLY;BYMONTHDAY=31', '2026-01-31T09:00:00Z'), 3)).toEqual([
        '2026-03-31T09:00:00.000Z',
        '2026-05-31T09:00:00.000Z',
        '2026-07-31T09:00:00.000Z',
      ]);
      expect(occurrences(series('FREQ=MONTHLY;BYMONTHDAY=-1', '2026-01-31T00:00:00Z', 'UTC', true), 3)).toEqual([
        '2026-02-28T00:00:00.000Z',
        '2026-03-31T00:00:00.000Z',
        '2026-04-30T00:00:00.000Z',
      ]);
      expect(occurrences(series('FREQ=YEARLY', '2028-02-29T00:00:00Z', 'UTC', true), 1)).toEqual(['2032-02-29T00:00:00.000Z']);
    });

    it("keeps the wall-clock time across the user's DST change", () => {
      // 09:00 in Berlin: 08:00Z in winter, 07:00Z from 29 March.
      expect(occurrences(series('FREQ=DAILY', '2026-03-28T08:00:00Z', 'Europe/Berlin'), 2)).toEqual([
        '2026-03-29T07:00:00.000Z',
        '2026-03-30T07:00:00.000Z',
      ]);
      // 09:00 in New York, weekly, over the November change.
      expect(occurrences(series('FREQ=WEEKLY', '2026-10-26T13:00:00Z', 'America/New_York'), 2)).toEqual([
        '2026-11-02T14:00:00.000Z',
        '2026-11-09T14:00:00.000Z',
      ]);
      // 02:30 does not exist in Berlin on 29 March: it moves forward, as the clocks do.
      expect(occurrences(series('FREQ=DAILY', '2026-03-28T01:30:00Z', 'Europe/Berlin'), 2)).toEqual([
        '2026-03-29T01:30:00.000Z',
        '2026-03-30T00:30:00.000Z',
      ]);
    });

    it('ends after COUNT occurrences (counted from the start) and at UNTIL', () => {
      expect(occurrences(series('FREQ=DAILY;COUNT=3', '2026-05-01T00:00:00Z', 'UTC', true), 4)).toEqual([
        '2026-05-02T00:00:00.000Z',
        '2026-05-03T00:00:00.000Z',
        null,
      ]);
      expect(occurrences(series('FREQ=WEEKLY;UNTIL=20260515', '2026-05-01T00:00:00Z', 'UTC', true), 3)).toEqual([
        '2026-05-08T00:00:00.000Z',
        '2026-05-15T00:00:00.000Z',
        null,
      ]);
    });

    it('goes on from a late completion to the occurrence after the one that was due', () => {
      const weekdays = series('FREQ=WEEKLY;BYDAY=MO,WE,FR', '2026-06-01T07:00:00Z'); // a Monday
      expect(nextOccurrence(weekdays, at('2026-06-03T07:00:00Z'))?.toISOString()).toBe('2026-06-05T07:00:00.000Z');
      expect(nextOccurrence(weekdays, at('2026-06-05T07:00:00Z'))?.toISOString()).toBe('2026-06-08T07:00:00.000Z');
    });
  });
});
