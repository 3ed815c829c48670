import { DomainError } from '@micronote/server-core';

import { checkCategory, checkText, parseInstant } from './todo-input';

describe('todo input', () => {
  it.each([
    ['2026-03-10', '2026-03-10T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-03-10T10:20', '2026-03-10T10:20:00.000Z'],
    ['2026-03-10T10:20:30Z', '2026-03-10T10:20:30.000Z'],
    ['2026-03-10T10:20:30.123456Z', '2026-03-10T10:20:30.123Z'],
    ['2026-03-10T00:30:00+01:00', '2026-03-09T23:30:00.000Z'],
    ['2026-03-10T23:30:00-0130', '2026-03-11T01:00:00.000Z'],
    ['1000-01-01', '1000-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('reads %s as %s', (input, iso) => {
    expect(parseInstant(input, 'dueDate').toISOString()).toBe(iso);
  });

  it.each([
    '',
    '2026',
    '2026-03',
    '2026-W10',
    '2026-3-10',
    '2026-03-10 10:20',
    '2023-02-29',
    '2026-04-31',
    '2026-00-10',
    '2026-03-10T24:00',
    '2026-03-10T10:60',
    '2026-03-10T10:20:60Z',
    '2026-03-10T10:20+24:00',
    '0099-01-01',
    '1000-01-01T00:00+01:00',
    '9999-12-31T23:00-02:00',
    ' 2026-03-10',
    '2026-03-10Z',
  ])('refuses %j', (input) => {
    expect(() => parseInstant(input, 'dueDate')).toThrow(DomainError);
    expect(() => parseInstant(input, 'dueDate')).toThrow(/dueDate must be a date/);
  });

  it('trims text and category and counts code points', () => {
    expect(checkText('  hi  ')).toBe('hi');
    expect(checkText('😀'.repeat(200))).toHaveLength(400);
    expect(() => checkText('😀'.repeat(201))).toThrow(/text must be 1 to 200/);
    expect(checkCategory(null)).toBeNull();
    expect(checkCategory(undefined)).toBeNull();
    expect(checkCategory(' Work ')).toBe('Work');
    expect(() => checkCategory('')).toThrow(/category must be 1 to 30/);
  });
});
