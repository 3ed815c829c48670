import type { DueInput } from './due-input';
import {
  defaultCustomReminder,
  keepWithoutDueTime,
  NO_REMINDER,
  presetInstant,
  reminderInputOf,
  reminderPatch,
  reminderProblem,
  reminderRequest,
} from './reminder-input';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const timed = (date: string, time: string): DueInput => ({ date, time, allDay: false });
const NO_DUE_TIME: DueInput = { date: '', time: '', allDay: true };
const iso = (instant: number | null) => (instant === null ? null : new Date(instant).toISOString());

describe('reminder-input', () => {
  it('puts the presets at and before a timed due date, in the zone', () => {
    const due = timed('2026-12-04', '14:30'); // 13:30Z in Berlin
    expect(iso(presetInstant('at-due', due, BERLIN))).toBe('2026-12-04T13:30:00.000Z');
    expect(iso(presetInstant('10m', due, BERLIN))).toBe('2026-12-04T13:20:00.000Z');
    expect(iso(presetInstant('1h', due, BERLIN))).toBe('2026-12-04T12:30:00.000Z');
    expect(iso(presetInstant('1d', due, BERLIN))).toBe('2026-12-03T13:30:00.000Z');
  });

  it('"1 day before" keeps the wall-clock time across a change of daylight saving time (23 h here)', () => {
    // New York springs forward on 2026-03-08: 09:00 that day is EDT (13:00Z), 09:00 the day before EST (14:00Z).
    expect(iso(presetInstant('1d', timed('2026-03-08', '09:00'), NEW_YORK))).toBe('2026-03-07T14:00:00.000Z');
    expect(iso(presetInstant('at-due', timed('2026-03-08', '09:00'), NEW_YORK))).toBe('2026-03-08T13:00:00.000Z');
  });

  it('offers no preset without a due time (no date, or all day)', () => {
    expect(presetInstant('10m', { date: '2026-12-04', time: '09:00', allDay: true }, BERLIN)).toBeNull();
    expect(presetInstant('10m', { date: '', time: '09:00', allDay: false }, BERLIN)).toBeNull();
    expect(reminderProblem({ ...NO_REMINDER, kind: '1h' }, { date: '', time: '', allDay: true }, BERLIN, 0)).toBe('needs-due-time');
  });

  it('reads a todo back as the preset it matches, else as a custom time in the zone', () => {
    const todo = { dueDate: '2026-12-04T13:30:00.000Z', allDay: false };
    expect(reminderInputOf({ ...todo, remindAt: '2026-12-04T12:30:00.000Z' }, BERLIN)).toMatchObject({ kind: '1h' });
    expect(reminderInputOf({ ...todo, remindAt: '2026-12-04T13:30:00.000Z' }, BERLIN)).toMatchObject({ kind: 'at-due' });
    expect(reminderInputOf({ ...todo, remindAt: '2026-12-04T07:05:00.000Z' }, BERLIN)).toEqual({
      kind: 'custom',
      date: '2026-12-04',
      time: '08:05',
    });
    expect(reminderInputOf({ dueDate: null, allDay: false, remindAt: null }, BERLIN)).toEqual(NO_REMINDER);
  });

  it('sends the instant as ISO UTC, and null for none', () => {
    expect(reminderRequest({ kind: 'custom', date: '2026-12-04', time: '08:05' }, timed('', ''), NEW_YORK)).toBe(
      '2026-12-04T13:05:00.000Z',
    );
    expect(reminderRequest(NO_REMINDER, timed('2026-12-04', '08:00'), NEW_YORK)).toBeNull();
  });

  it('an edit sends remindAt only when it changed; a snoozed time with seconds is not re-sent rounded', () => {
    const todo = { dueDate: '2026-12-04T13:30:00.000Z', allDay: false, remindAt: '2026-12-04T13:20:41.512Z' };
    const due = timed('2026-12-04', '14:30');
    expect(reminderPatch(todo, reminderInputOf(todo, BERLIN), due, BERLIN)).toEqual({});
    expect(reminderPatch(todo, NO_REMINDER, due, BERLIN)).toEqual({ remindAt: null });
    // A preset follows the due time when that moves.
    const preset = { ...todo, remindAt: '2026-12-04T12:30:00.000Z' };
    expect(reminderPatch(preset, reminderInputOf(preset, BERLIN), timed('2026-12-04', '16:00'), BERLIN)).toEqual({
      remindAt: '2026-12-04T14:00:00.000Z',
    });
  });

  it('a preset whose due time goes away stays where it was, as a custom time', () => {
    const before = timed('2026-12-04', '14:30');
    const input = { kind: '1h' as const, date: '', time: '' };
    expect(keepWithoutDueTime(input, before, { ...before, allDay: true }, BERLIN)).toEqual({
      kind: 'custom',
      date: '2026-12-04',
      time: '13:30',
    });
    expect(keepWithoutDueTime(input, before, timed('2026-12-05', '10:00'), BERLIN)).toBe(input);
  });

  it('says when a reminder is in the past or half filled', () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    expect(reminderProblem({ kind: 'custom', date: '2026-12-04', time: '12:59' }, NO_DUE_TIME, BERLIN, now)).toBe('past');
    expect(reminderProblem({ kind: 'custom', date: '2026-12-04', time: '13:01' }, NO_DUE_TIME, BERLIN, now)).toBeNull();
    expect(reminderProblem({ kind: 'custom', date: '2026-12-04', time: '' }, NO_DUE_TIME, BERLIN, now)).toBe('incomplete');
  });

  it('starts a custom reminder at the due time, 09:00 on an all-day date, else the next full hour', () => {
    const now = Date.parse('2026-12-04T12:10:00Z');
    expect(defaultCustomReminder(timed('2026-12-05', '08:00'), BERLIN, now)).toEqual({ kind: 'custom', date: '2026-12-05', time: '08:00' });
    expect(defaultCustomReminder({ date: '2026-12-06', time: '', allDay: true }, BERLIN, now)).toEqual({
      kind: 'custom',
      date: '2026-12-06',
      time: '09:00',
    });
    expect(defaultCustomReminder(NO_DUE_TIME, BERLIN, now)).toEqual({ kind: 'custom', date: '2026-12-04', time: '14:00' });
  });
});
