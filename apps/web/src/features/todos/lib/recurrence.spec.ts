import type { RepeatState } from './recurrence';
import { describeRrule, fromRrule, NO_REPEAT, toRrule, weekdayOf } from './recurrence';

const DUE = { date: '2026-12-07', allDay: false }; // a Monday
const state = (s: Partial<RepeatState>): RepeatState => ({ ...NO_REPEAT, ...s });

describe('recurrence', () => {
  it('knows the weekday of a date', () => {
    expect(weekdayOf('2026-12-07')).toBe('MO');
    expect(weekdayOf('2026-12-06')).toBe('SU');
  });

  it.each<[Partial<RepeatState>, string | null]>([
    [{ kind: 'none' }, null],
    [{ kind: 'daily' }, 'FREQ=DAILY'],
    [{ kind: 'weekdays' }, 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
    [{ kind: 'weekly', days: [] }, 'FREQ=WEEKLY;BYDAY=MO'],
    [{ kind: 'weekly', days: ['FR', 'MO', 'WE'] }, 'FREQ=WEEKLY;BYDAY=MO,WE,FR'],
    [{ kind: 'monthly' }, 'FREQ=MONTHLY;BYMONTHDAY=7'],
    [{ kind: 'monthly', monthDay: 'last' }, 'FREQ=MONTHLY;BYMONTHDAY=-1'],
    [{ kind: 'yearly' }, 'FREQ=YEARLY'],
    [{ kind: 'custom', unit: 'DAILY', interval: 3 }, 'FREQ=DAILY;INTERVAL=3'],
    [{ kind: 'custom', unit: 'MONTHLY', interval: 5000 }, 'FREQ=MONTHLY;INTERVAL=999'],
    [{ kind: 'daily', end: 'count', count: 5 }, 'FREQ=DAILY;COUNT=5'],
    [{ kind: 'daily', end: 'count', count: 0 }, 'FREQ=DAILY;COUNT=1'],
    [{ kind: 'yearly', end: 'until', until: '2030-01-31' }, 'FREQ=YEARLY;UNTIL=20300131T235959'],
    [{ kind: 'yearly', end: 'until', until: '' }, 'FREQ=YEARLY'],
    [{ kind: 'keep', rule: 'FREQ=MONTHLY;BYDAY=2TU' }, 'FREQ=MONTHLY;BYDAY=2TU'],
  ])('%j → %s', (s, rule) => {
    expect(toRrule(state(s), DUE)).toBe(rule);
  });

  it('ends on a date with a DATE for an all-day todo (inclusive, as RFC 5545 wants for a DATE start)', () => {
    expect(toRrule(state({ kind: 'daily', end: 'until', until: '2026-12-31' }), { date: '2026-12-07', allDay: true })).toBe(
      'FREQ=DAILY;UNTIL=20261231',
    );
  });

  it('does not repeat without a due date', () => {
    expect(toRrule(state({ kind: 'daily' }), { date: '', allDay: true })).toBeNull();
  });

  it.each([
    'FREQ=DAILY',
    'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    'FREQ=WEEKLY;BYDAY=MO',
    'FREQ=WEEKLY;BYDAY=TU,SA;COUNT=4',
    'FREQ=MONTHLY;BYMONTHDAY=7',
    'FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20270101T235959',
    'FREQ=YEARLY',
    'FREQ=WEEKLY;INTERVAL=2',
    'FREQ=YEARLY;INTERVAL=1;COUNT=3',
  ])('reads %s into the picker and writes it back unchanged', (rule) => {
    const s = fromRrule(rule, DUE);
    expect(s.kind).not.toBe('keep');
    expect(toRrule(s, DUE)).toBe(rule);
  });

  it('round-trips every state the picker makes', () => {
    const states: Partial<RepeatState>[] = [
      { kind: 'daily', end: 'count', count: 12 },
      { kind: 'weekly', days: ['SA', 'SU'] },
      { kind: 'monthly', monthDay: 'last', end: 'until', until: '2027-06-30' },
      { kind: 'custom', unit: 'YEARLY', interval: 2 },
    ];
    for (const s of states) {
      const rule = toRrule(state(s), DUE);
      expect(toRrule(fromRrule(rule, DUE), DUE)).toBe(rule);
      expect(fromRrule(rule, DUE)).toMatchObject(s);
    }
  });

  it('keeps a rule it cannot show as it is', () => {
    for (const rule of [
      'FREQ=MONTHLY;BYDAY=2TU',
      'FREQ=MONTHLY;BYMONTHDAY=15',
      'COUNT=3;FREQ=DAILY',
      'FREQ=WEEKLY',
      'FREQ=DAILY;UNTIL=20261231',
    ]) {
      const s = fromRrule(rule, DUE);
      expect(s).toMatchObject({ kind: 'keep', rule });
      expect(toRrule(s, DUE)).toBe(rule);
    }
    expect(fromRrule(null, DUE).kind).toBe('none');
    expect(fromRrule('nonsense', DUE)).toMatchObject({ kind: 'keep', rule: 'nonsense' });
  });

  it.each([
    ['FREQ=WEEKLY;BYDAY=MO', 'Every week on Monday'],
    ['FREQ=DAILY', 'Every day'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'Every weekday'],
    ['FREQ=WEEKLY;BYDAY=MO,WE,FR', 'Every week on Monday, Wednesday and Friday'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'Every month on the last day'],
    ['FREQ=MONTHLY;BYMONTHDAY=22', 'Every month on the 22nd'],
    ['FREQ=MONTHLY;BYDAY=2TU', 'Every month on the second Tuesday'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'Every month on the last Friday'],
    ['FREQ=WEEKLY;INTERVAL=2;COUNT=5', 'Every 2 weeks, 5 times'],
    ['FREQ=YEARLY;UNTIL=20301231T235959', 'Every year until Dec 31, 2030'],
  ])('describes %s as “%s”', (rule, text) => {
    expect(describeRrule(rule)).toBe(text);
  });
});
