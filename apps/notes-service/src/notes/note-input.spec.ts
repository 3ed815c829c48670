import { checkText, checkTitle, isNoteId, normalizeTags, pageSize } from './note-input';

describe(normalizeTags.name, () => {
  it('trims, drops empty ones and case-insensitive duplicates, keeping the first spelling and the order', () => {
    expect(normalizeTags([' Work ', 'home', 'WORK', '', '  ', 'Home', 'ideas'])).toEqual(['Work', 'home', 'ideas']);
  });

  it('treats tags that differ only by accent or case as one, as the database collation does', () => {
    expect(normalizeTags(['cafe', 'café', 'Cafe', 'CAFÉ', 'Straße', 'strasse', 'naïve', 'naive'])).toEqual(['cafe', 'Straße', 'naïve']);
  });

  it('refuses more than 20 tags and tags over 30 characters', () => {
    expect(() => normalizeTags(Array.from({ length: 21 }, (_, i) => `t${i}`))).toThrow(/at most 20 tags/);
    expect(normalizeTags(Array.from({ length: 21 }, () => 'same'))).toEqual(['same']);
    expect(() => normalizeTags(['x'.repeat(31)])).toThrow(/30 characters/);
  });
});

describe('note limits', () => {
  it('checks title and text', () => {
    expect(checkTitle('ok')).toBe('ok');
    expect(() => checkTitle('')).toThrow();
    expect(() => checkTitle('   ')).toThrow();
    expect(() => checkTitle('t'.repeat(101))).toThrow();
    expect(checkText('')).toBe('');
    expect(() => checkText('x'.repeat(100_001))).toThrow();
  });

  it('accepts only positive integer ids', () => {
    expect(['1', '42', '999999999999999999'].every(isNoteId)).toBe(true);
    expect(['0', '-1', '1.5', 'abc', '01', '1 OR 1=1', '9'.repeat(20)].some(isNoteId)).toBe(false);
  });

  it('defaults the page size to 20 and bounds it to 1..100', () => {
    expect(pageSize(0)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(101)).toThrow();
    expect(() => pageSize(-1)).toThrow();
  });
});
