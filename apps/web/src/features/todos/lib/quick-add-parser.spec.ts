import { dueRequest } from './due-input';
import type { QuickAddOptions } from './quick-add-parser';
import { parseQuickAdd, partKey } from './quick-add-parser';
import { toRrule } from './recurrence';

/** Friday 4 December 2026, 16:00 in Berlin, 10:00 in New York. */
const NOW = Date.parse('2026-12-04T15:00:00Z');
const BERLIN: QuickAddOptions = { now: NOW, timeZone: 'Europe/Berlin' };
const NEW_YORK: QuickAddOptions = { now: NOW, timeZone: 'America/New_York' };

/** What the form would send for the parse: the text, the due fields and the RRULE. */
function request(input: string, options: QuickAddOptions = BERLIN) {
  const parsed = parseQuickAdd(input, options);
  const due = parsed.due ? dueRequest(parsed.due, options.timeZone) : { dueDate: null };
  return {
    text: parsed.text,
    ...due,
    recurrence: parsed.repeat && parsed.due ? toRrule(parsed.repeat, parsed.due) : null,
    priority: parsed.priority ?? null,
    category: parsed.category ?? null,
  };
}

describe('parseQuickAdd', () => {
  it('reads the example: text, next 1st at 09:00 in the zone, monthly on the 1st, high, home', () => {
    const parsed = parseQuickAdd('Pay rent every month on the 1st at 9am !high #home', BERLIN);
    expect(parsed).toMatchObject({
      text: 'Pay rent',
      due: { date: '2027-01-01', time: '09:00', allDay: false },
      priority: 'high',
      category: 'home',
    });
    expect(parsed.parts.map((p) => [p.kind, p.source])).toEqual([
      ['repeat', 'every month'],
      ['due', 'on the 1st at 9am'],
      ['priority', '!high'],
      ['category', '#home'],
    ]);
    expect(request('Pay rent every month on the 1st at 9am !high #home')).toEqual({
      text: 'Pay rent',
      dueDate: '2027-01-01T08:00:00.000Z',
      allDay: false,
      recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1',
      priority: 'high',
      category: 'home',
    });
    // The same words in New York: 09:00 there.
    expect(request('Pay rent every month on the 1st at 9am !high #home', NEW_YORK)).toMatchObject({
      dueDate: '2027-01-01T14:00:00.000Z',
      recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1',
    });
  });

  it.each<[string, string, string, boolean]>([
    // input, text, date, all day (time in the due fields below)
    ['Buy milk tomorrow', 'Buy milk', '2026-12-05', true],
    ['Call mom tomorrow 5pm', 'Call mom', '2026-12-05', false],
    ['Review next friday', 'Review', '2026-12-11', true],
    ['Renew passport in 3 days', 'Renew passport', '2026-12-07', true],
    ['Submit report by monday', 'Submit report', '2026-12-07', true],
    ['Dentist on dec 22 at 14:30', 'Dentist', '2026-12-22', false],
    ['Invoice due on the 15th', 'Invoice', '2026-12-15', true],
    ['Gift on the 3rd', 'Gift', '2027-01-03', true],
    ['Take out bins today', 'Take out bins', '2026-12-04', true],
  ])('%s', (input, text, date, allDay) => {
    const parsed = parseQuickAdd(input, BERLIN);
    expect(parsed.text).toBe(text);
    expect(parsed.due).toMatchObject({ date, allDay });
    expect(parsed.repeat).toBeUndefined();
  });

  it('reads times on the user wall clock, in the user zone', () => {
    expect(request('Call mom tomorrow 5pm')).toMatchObject({ dueDate: '2026-12-05T16:00:00.000Z', allDay: false });
    expect(request('Call mom tomorrow 5pm', NEW_YORK)).toMatchObject({ dueDate: '2026-12-05T22:00:00.000Z', allDay: false });
    // A time already past on that clock is tomorrow's: 16:00 in Berlin (9am: tomorrow), 10:00 in New York (11am: today).
    expect(parseQuickAdd('Standup at 9am', BERLIN).due).toEqual({ date: '2026-12-05', time: '09:00', allDay: false });
    expect(parseQuickAdd('Standup at 11am', NEW_YORK).due).toEqual({ date: '2026-12-04', time: '11:00', allDay: false });
  });

  it('has "tomorrow" in the user zone, where the date may differ from UTC', () => {
    // 23:30 UTC: Saturday 00:30 in Berlin, Friday 18:30 in New York.
    const late = Date.parse('2026-12-04T23:30:00Z');
    expect(parseQuickAdd('Bake tomorrow', { ...BERLIN, now: late }).due?.date).toBe('2026-12-06');
    expect(parseQuickAdd('Bake tomorrow', { ...NEW_YORK, now: late }).due?.date).toBe('2026-12-05');
    expect(parseQuickAdd('Sleep in 2 hours', { ...BERLIN, now: Date.parse('2026-12-04T22:30:00Z') }).due).toEqual({
      date: '2026-12-05',
      time: '01:30',
      allDay: false,
    });
  });

  it('takes the offset of the day itself across a daylight saving change', () => {
    // Saturday 7 March 2026 in New York (EST); clocks go forward on Sunday at 02:00 (EDT, -4).
    const options = { ...NEW_YORK, now: Date.parse('2026-03-07T17:00:00Z') };
    expect(request('Brunch tomorrow 9am', options)).toMatchObject({ dueDate: '2026-03-08T13:00:00.000Z' });
  });

  it.each<[string, string, string, string, boolean?]>([
    // input, text, RRULE, first due date, timed
    ['Stretch every day', 'Stretch', 'FREQ=DAILY', '2026-12-04'],
    ['Stretch daily at 7am', 'Stretch', 'FREQ=DAILY', '2026-12-05', true],
    ['Standup every weekday at 9:30', 'Standup', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-12-07', true],
    ['Gym every monday and thursday', 'Gym', 'FREQ=WEEKLY;BYDAY=MO,TH', '2026-12-07'],
    ['Gym every mon, wed and fri', 'Gym', 'FREQ=WEEKLY;BYDAY=MO,WE,FR', '2026-12-04'],
    ['Review every week', 'Review', 'FREQ=WEEKLY;BYDAY=FR', '2026-12-04'],
    ['Review every week on tuesday', 'Review', 'FREQ=WEEKLY;BYDAY=TU', '2026-12-08'],
    ['Sprint every 2 weeks', 'Sprint', 'FREQ=WEEKLY;INTERVAL=2', '2026-12-04'],
    ['Payday every other monday', 'Payday', 'FREQ=WEEKLY;INTERVAL=2', '2026-12-07'],
    ['Backup every three days', 'Backup', 'FREQ=DAILY;INTERVAL=3', '2026-12-04'],
    ['Rent every month on the 1st', 'Rent', 'FREQ=MONTHLY;BYMONTHDAY=1', '2027-01-01'],
    ['Rent on the 1st of every month', 'Rent', 'FREQ=MONTHLY;BYMONTHDAY=1', '2027-01-01'],
    ['Bills every 15th', 'Bills', 'FREQ=MONTHLY;BYMONTHDAY=15', '2026-12-15'],
    ['Report every month on the last day', 'Report', 'FREQ=MONTHLY;BYMONTHDAY=-1', '2026-12-31'],
    ['Checkup every year', 'Checkup', 'FREQ=YEARLY', '2026-12-04'],
    ['Water plants every day 10 times', 'Water plants', 'FREQ=DAILY;COUNT=10', '2026-12-04'],
    ['Standup every weekday until dec 31', 'Standup', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261231', '2026-12-04'],
  ])('%s', (input, text, rule, date, timed = false) => {
    const parsed = request(input);
    expect(parsed).toMatchObject({ text, recurrence: rule, allDay: !timed });
    expect(parseQuickAdd(input, BERLIN).due?.date).toBe(date);
  });

  it('reads an hour without am/pm from 1 to 6 as the afternoon', () => {
    // 16:00 in Berlin: 17:00 is still today's; 10:00 in New York: so is 17:30.
    expect(parseQuickAdd('Call Dad at 5', BERLIN).due).toEqual({ date: '2026-12-04', time: '17:00', allDay: false });
    expect(parseQuickAdd('Call Dad at 3', BERLIN).due).toEqual({ date: '2026-12-05', time: '15:00', allDay: false });
    expect(parseQuickAdd('Call Dad tomorrow at 3', BERLIN).due).toEqual({ date: '2026-12-05', time: '15:00', allDay: false });
    expect(parseQuickAdd('Call Dad at 5:30', NEW_YORK).due).toEqual({ date: '2026-12-04', time: '17:30', allDay: false });
    expect(parseQuickAdd('Call Dad at 5am', BERLIN).due?.time).toBe('05:00');
    expect(parseQuickAdd('Call Dad at 10', NEW_YORK).due?.time).toBe('10:00');
    // Not a clock reading: 2 hours from 01:00 is 03:00.
    expect(parseQuickAdd('Sleep in 2 hours', { ...BERLIN, now: Date.parse('2026-12-04T00:00:00Z') }).due?.time).toBe('03:00');
  });

  it('reads more ways of naming days', () => {
    expect(request('Gym every tue thu')).toMatchObject({ text: 'Gym', recurrence: 'FREQ=WEEKLY;BYDAY=TU,TH' });
    expect(request('Rent the 1st of every month')).toMatchObject({ text: 'Rent', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1' });
    expect(request('Pay rent the 1st at 9am')).toMatchObject({ text: 'Pay rent', dueDate: '2027-01-01T08:00:00.000Z' });
    expect(request('Stretch every day until the 20th')).toMatchObject({ text: 'Stretch', recurrence: 'FREQ=DAILY;UNTIL=20261220' });
    expect(request('Lunch at noon')).toMatchObject({ text: 'Lunch', dueDate: '2026-12-05T11:00:00.000Z' });
  });

  it('reads !priority anywhere, the first one only', () => {
    expect(parseQuickAdd('!high Fix the leak', BERLIN)).toMatchObject({ text: 'Fix the leak', priority: 'high' });
    expect(parseQuickAdd('Fix !low the leak', BERLIN)).toMatchObject({ text: 'Fix the leak', priority: 'low' });
    expect(parseQuickAdd('Fix the leak !MEDIUM', BERLIN)).toMatchObject({ text: 'Fix the leak', priority: 'medium' });
    expect(parseQuickAdd('Fix the leak !1', BERLIN).priority).toBe('high');
    expect(parseQuickAdd('Fix the leak !3', BERLIN).priority).toBe('low');
    expect(parseQuickAdd('Fix !low the leak !high', BERLIN)).toMatchObject({ text: 'Fix the leak !high', priority: 'low' });
    // Not a priority: inside a word, or an unknown one.
    expect(parseQuickAdd('Wow!high five', BERLIN).priority).toBeUndefined();
    expect(parseQuickAdd('Shout !urgent', BERLIN)).toEqual({ text: 'Shout !urgent', parts: [] });
  });

  it('reads #category only with a letter after the #', () => {
    expect(parseQuickAdd('Call #2 back', BERLIN)).toEqual({ text: 'Call #2 back', parts: [] });
    expect(parseQuickAdd('Learn C# basics', BERLIN).category).toBeUndefined();
    expect(parseQuickAdd('See example.com/#top', BERLIN).category).toBeUndefined();
    expect(parseQuickAdd('Plan #work-trip now-ish', BERLIN).category).toBe('work-trip');
    expect(parseQuickAdd('Fix #Home sink', { ...BERLIN, categories: ['home', 'work'] })).toMatchObject({
      text: 'Fix sink',
      category: 'home',
    });
    expect(parseQuickAdd('Café #büro', BERLIN).category).toBe('büro');
    expect(parseQuickAdd(`Long #${'x'.repeat(31)}`, BERLIN).category).toBeUndefined();
  });

  it('has no dates where there are none', () => {
    for (const input of [
      'Fix the sun roof',
      'Read chapter 3',
      'Buy 2 apples',
      'Email May about it',
      'March for climate',
      'Call #2 back',
      'Watch the 3rd episode',
      'Buy a 2nd monitor',
      "Print tomorrow's agenda",
      'Read 1984',
    ]) {
      expect(parseQuickAdd(input, BERLIN)).toEqual({ text: input, parts: [] });
    }
  });

  it('trims and collapses what is left', () => {
    expect(parseQuickAdd('  Buy   milk   tomorrow  ', BERLIN).text).toBe('Buy milk');
    expect(parseQuickAdd('Buy milk, tomorrow', BERLIN).text).toBe('Buy milk');
    expect(parseQuickAdd('tomorrow !high', BERLIN).text).toBe('');
  });

  it('keeps quoted words as they are', () => {
    expect(parseQuickAdd('Read "Next Friday" by Neil', BERLIN)).toEqual({ text: 'Read "Next Friday" by Neil', parts: [] });
    expect(parseQuickAdd('Watch “every day” tomorrow', BERLIN)).toMatchObject({ text: 'Watch “every day”', due: { date: '2026-12-05' } });
    // Still open while typing: to the end.
    expect(parseQuickAdd('Read "tomorrow', BERLIN).parts).toEqual([]);
  });

  it('leaves a part as text when its key is literal (a removed chip)', () => {
    const first = parseQuickAdd('Buy milk tomorrow !high', BERLIN);
    const due = first.parts.find((p) => p.kind === 'due');
    expect(due?.key).toBe(partKey('due', 'tomorrow'));
    const kept = parseQuickAdd('Buy milk tomorrow !high', { ...BERLIN, literal: new Set([due?.key ?? '']) });
    expect(kept).toMatchObject({ text: 'Buy milk tomorrow', priority: 'high' });
    expect(kept.due).toBeUndefined();
    // A literal "every monday" is not read as a date either.
    expect(parseQuickAdd('Gym every monday', { ...BERLIN, literal: new Set([partKey('repeat', 'every monday')]) })).toEqual({
      text: 'Gym every monday',
      parts: [],
    });
  });

  it('gives each part its place in the input', () => {
    const input = 'Pay rent every month on the 1st at 9am !high #home';
    for (const part of parseQuickAdd(input, BERLIN).parts) {
      expect(part.spans.map(([s, e]) => input.slice(s, e)).join(' ')).toBe(part.source);
    }
  });
});
