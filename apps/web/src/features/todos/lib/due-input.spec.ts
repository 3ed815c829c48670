import { dueInputOf, duePatch, dueRequest } from './due-input';

describe('due-input', () => {
  it('a date alone (or All day) is sent as YYYY-MM-DD with allDay true', () => {
    expect(dueRequest({ date: '2026-12-04', time: '14:30', allDay: true }, 'Europe/Berlin')).toEqual({
      dueDate: '2026-12-04',
      allDay: true,
    });
    expect(dueRequest({ date: '2026-12-04', time: '', allDay: false }, 'Europe/Berlin')).toEqual({ dueDate: '2026-12-04', allDay: true });
    expect(dueRequest({ date: '', time: '14:30', allDay: false }, 'Europe/Berlin')).toEqual({ dueDate: null });
  });

  it('a time is the instant of that local time in the zone, allDay false', () => {
    expect(dueRequest({ date: '2026-12-04', time: '14:30', allDay: false }, 'Europe/Berlin')).toEqual({
      dueDate: '2026-12-04T13:30:00.000Z',
      allDay: false,
    });
    expect(dueRequest({ date: '2026-12-04', time: '14:30', allDay: false }, 'America/New_York')).toEqual({
      dueDate: '2026-12-04T19:30:00.000Z',
      allDay: false,
    });
  });

  it('reads a todo back into the fields in the zone', () => {
    expect(dueInputOf({ dueDate: '2026-12-04T23:30:00.000Z', allDay: false }, 'Asia/Tokyo')).toEqual({
      date: '2026-12-05',
      time: '08:30',
      allDay: false,
    });
    expect(dueInputOf({ dueDate: '2026-12-04T00:00:00.000Z', allDay: true }, 'America/Los_Angeles')).toMatchObject({
      date: '2026-12-04',
      allDay: true,
    });
    expect(dueInputOf({ dueDate: null, allDay: false }, 'UTC')).toMatchObject({ date: '', allDay: true });
  });

  it('an edit sends the due fields only when they change', () => {
    const timed = { dueDate: '2026-12-04T13:30:00.000Z', allDay: false };
    expect(duePatch(timed, { date: '2026-12-04', time: '14:30', allDay: false }, 'Europe/Berlin')).toEqual({});
    expect(duePatch(timed, { date: '2026-12-04', time: '14:30', allDay: true }, 'Europe/Berlin')).toEqual({
      dueDate: '2026-12-04',
      allDay: true,
    });
    expect(duePatch(timed, { date: '2026-12-04', time: '15:00', allDay: false }, 'Europe/Berlin')).toEqual({
      dueDate: '2026-12-04T14:00:00.000Z',
      allDay: false,
    });
    expect(duePatch(timed, { date: '', time: '14:30', allDay: false }, 'Europe/Berlin')).toEqual({ dueDate: null });
    const day = { dueDate: '2026-12-04T00:00:00.000Z', allDay: true };
    expect(duePatch(day, { date: '2026-12-04', time: '09:00', allDay: true }, 'Asia/Tokyo')).toEqual({});
    expect(duePatch({ dueDate: null, allDay: false }, { date: '', time: '09:00', allDay: true }, 'UTC')).toEqual({});
  });
});
