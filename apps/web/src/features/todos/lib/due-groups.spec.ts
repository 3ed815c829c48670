import type { Todo } from '@micronote/contracts';

import { dueDay, dueGroup, groupByDue, isOverdue } from './due-groups';

type Due = Pick<Todo, 'dueDate' | 'allDay' | 'completed'> & { id?: string };
const allDay = (date: string, completed = false): Due => ({ dueDate: `${date}T00:00:00.000Z`, allDay: true, completed });
const timed = (iso: string, completed = false): Due => ({ dueDate: iso, allDay: false, completed });
const none: Due = { dueDate: null, allDay: false, completed: false };

describe('due-groups', () => {
  // Friday 2026-12-04 10:00 in Berlin (09:00Z).
  const berlin = { now: Date.parse('2026-12-04T09:00:00Z'), timeZone: 'Europe/Berlin' };

  it('files todos as Overdue, Today, Upcoming (7 days counting today), Later and No date', () => {
    expect(dueGroup(allDay('2026-12-03'), berlin)).toBe('overdue');
    expect(dueGroup(timed('2026-12-04T08:00:00Z'), berlin)).toBe('overdue');
    expect(dueGroup(allDay('2026-12-04'), berlin)).toBe('today');
    expect(dueGroup(timed('2026-12-04T22:59:00Z'), berlin)).toBe('today');
    // 00:30 on Saturday in Berlin, though still Friday in UTC.
    expect(dueGroup(timed('2026-12-04T23:30:00Z'), berlin)).toBe('upcoming');
    expect(dueGroup(allDay('2026-12-05'), berlin)).toBe('upcoming');
    expect(dueGroup(allDay('2026-12-10'), berlin)).toBe('upcoming');
    expect(dueGroup(allDay('2026-12-11'), berlin)).toBe('later');
    expect(dueGroup(none, berlin)).toBe('none');
    expect(dueGroup(allDay('2026-12-01', true), berlin)).toBe('completed');
  });

  it('an all-day todo is due on its date in every zone; a timed one on the date there', () => {
    expect(dueDay(allDay('2026-12-04'), 'Pacific/Kiritimati')).toBe('2026-12-04');
    expect(dueDay(allDay('2026-12-04'), 'America/Los_Angeles')).toBe('2026-12-04');
    expect(dueDay(timed('2026-12-04T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-12-05');
    expect(dueDay(timed('2026-12-04T23:30:00Z'), 'America/Los_Angeles')).toBe('2026-12-04');
  });

  it('an all-day todo is overdue once its day has ended in the zone, not at 00:00Z', () => {
    // 2026-12-05 02:00 in Tokyo is 2026-12-04 17:00Z: the 4th has ended there but not in UTC.
    const now = Date.parse('2026-12-04T17:00:00Z');
    expect(isOverdue(allDay('2026-12-04'), { now, timeZone: 'Asia/Tokyo' })).toBe(true);
    expect(isOverdue(allDay('2026-12-04'), { now, timeZone: 'UTC' })).toBe(false);
    expect(isOverdue(allDay('2026-12-04', true), { now, timeZone: 'Asia/Tokyo' })).toBe(false);
  });

  it('is DST-safe: the day after the clocks change is Upcoming, and the 7th day ends at local midnight', () => {
    // Saturday 2026-03-28 23:30 in Berlin (CET, 22:30Z); the clocks go forward that night.
    const clock = { now: Date.parse('2026-03-28T22:30:00Z'), timeZone: 'Europe/Berlin' };
    // Sunday 00:30 CET (a 23-hour day follows).
    expect(dueGroup(timed('2026-03-28T23:30:00Z'), clock)).toBe('upcoming');
    // Friday 2026-04-03 23:59 CEST is the 7th day; Saturday 00:01 CEST is Later (24 h steps would drift by an hour).
    expect(dueGroup(timed('2026-04-03T21:59:00Z'), clock)).toBe('upcoming');
    expect(dueGroup(timed('2026-04-03T22:01:00Z'), clock)).toBe('later');
    // The night the clocks go back (a 25-hour day): 23:30 CET on Sunday is still Sunday.
    const autumn = { now: Date.parse('2026-10-25T08:00:00Z'), timeZone: 'Europe/Berlin' };
    expect(dueGroup(timed('2026-10-25T22:30:00Z'), autumn)).toBe('today');
    expect(dueGroup(timed('2026-10-25T23:30:00Z'), autumn)).toBe('upcoming');
  });

  it('groups in the fixed order, keeping the server order inside each section, skipping empty ones', () => {
    const todos = [
      { id: 'a', ...none },
      { id: 'b', ...allDay('2026-12-20') },
      { id: 'c', ...allDay('2026-12-04') },
      { id: 'd', ...allDay('2026-12-01') },
      { id: 'e', ...allDay('2026-12-04') },
      { id: 'f', ...allDay('2026-12-04', true) },
    ];
    expect(groupByDue(todos, berlin).map((s) => [s.label, s.todos.map((t) => t.id)])).toEqual([
      ['Overdue', ['d']],
      ['Today', ['c', 'e']],
      ['Later', ['b']],
      ['No date', ['a']],
      ['Completed', ['f']],
    ]);
    expect(groupByDue([], berlin)).toEqual([]);
  });
});
