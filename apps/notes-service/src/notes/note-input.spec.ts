import { checkQuery, checkTagPath, checkText, checkTitle, normalizeTags, renamedTag } from './note-input';

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

  it('counts characters as code points, as a utf8mb4 column does', () => {
    expect(checkTitle('😀'.repeat(100))).toBe('😀'.repeat(100));
    expect(() => checkTitle('😀'.repeat(101))).toThrow();
    expect(normalizeTags(['😀'.repeat(30)])).toEqual(['😀'.repeat(30)]);
    expect(checkQuery(` ${'😀'.repeat(200)} `)).toBe('😀'.repeat(200));
    expect(() => checkQuery('x'.repeat(201))).toThrow(/200 characters/);
  });
});

describe('tag paths', () => {
  it('keeps `a/b` (a child of `a`), trimming each level', () => {
    expect(normalizeTags(['a/b', ' work / 2026 ', 'a/b/c/d/e'])).toEqual(['a/b', 'work/2026', 'a/b/c/d/e']);
    expect(checkTagPath('a / b')).toBe('a/b');
  });

  it('refuses empty levels, leading or trailing `/` and more than 5 levels', () => {
    for (const tag of ['/a', 'a/', 'a//b', '/', 'a/ /b'])
      expect(() => normalizeTags([tag])).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/empty level/) }),
      );
    expect(() => normalizeTags(['a/b/c/d/e/f'])).toThrow(/more than 5 levels/);
  });

  it('renames a tag and its children level by level, as the collation compares', () => {
    expect(renamedTag('a', 'a', 'x')).toBe('x');
    expect(renamedTag('A/b/c', 'a', 'x/y')).toBe('x/y/b/c');
    expect(renamedTag('Café/b', 'cafe', 'tea')).toBe('tea/b');
    expect(renamedTag('ab', 'a', 'x')).toBeUndefined();
    expect(renamedTag('a', 'a/b', 'x')).toBeUndefined();
    expect(renamedTag('b/a', 'a', 'x')).toBeUndefined();
  });
});
