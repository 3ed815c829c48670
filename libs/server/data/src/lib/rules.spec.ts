import { checkUserId, isId } from './ids';
import { freshImports, inChunks } from './imports';
import { pageSize } from './page-cap';
import { isSqlTime, sqlTime } from './sql-time';
import { codePointLength, withinLength } from './text';

describe('ids', () => {
  it('accepts only positive integer ids', () => {
    expect(['1', '42', '999999999999999999'].every(isId)).toBe(true);
    expect(['0', '-1', '1.5', 'abc', '01', '1 OR 1=1', '9'.repeat(20), 42].some(isId)).toBe(false);
  });

  it('refuses a malformed user id with VALIDATION_FAILED', () => {
    expect(checkUserId('7')).toBe('7');
    expect(() => checkUserId('abc')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe('lengths', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('😀a😀')).toBe(3);
    expect(codePointLength('\ud800x')).toBe(2); // a lone surrogate is one
    expect(withinLength('😀'.repeat(100), 1, 100)).toBe(true);
    expect(withinLength('😀'.repeat(101), 1, 100)).toBe(false);
    expect(withinLength('😀', 2, 5)).toBe(false);
    expect(withinLength('', 0, 5)).toBe(true);
    expect(withinLength('', 1, 5)).toBe(false);
  });
});

describe('times and pages', () => {
  it('writes DATETIME(3) literals in UTC', () => {
    expect(sqlTime(new Date('2026-03-01T08:00:00.123Z'))).toBe('2026-03-01 08:00:00.123');
    expect(isSqlTime('2026-03-01 08:00:00.123')).toBe(true);
    expect(isSqlTime('2026-03-01T08:00:00.123Z')).toBe(false);
  });

  it('defaults the page size and bounds it', () => {
    const limits = { min: 1, max: 100, default: 20 };
    expect(pageSize(0, limits)).toBe(20);
    expect(pageSize(100, limits)).toBe(100);
    expect(() => pageSize(101, limits)).toThrow();
    expect(() => pageSize(-1, limits)).toThrow();
  });
});

describe('imports', () => {
  it('keeps the keys the user does not have, each once', () => {
    const items = ['a', 'b', 'a', 'c'].map((key) => ({ key }));
    expect(freshImports(items, new Set(['b']))).toEqual([{ key: 'a' }, { key: 'c' }]);
    expect(inChunks([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
  });
});
