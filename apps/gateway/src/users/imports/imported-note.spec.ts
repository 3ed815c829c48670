import { NOTE_LIMITS } from '@micronote/contracts';

import type { ParsedNote } from './imported-note';
import { normalizeTags, normalizeTitle, sourceIdOf, toImportMessage, validDate } from './imported-note';

const parsed = (fields: Partial<ParsedNote> = {}): ParsedNote => ({
  sourceId: 'md:abc',
  origin: 'a.md',
  title: 'A',
  text: 'text',
  tags: [],
  isPinned: false,
  isArchived: false,
  createdAt: new Date('2024-01-01T00:00:00Z'),
  updatedAt: new Date('2024-01-02T00:00:00Z'),
  deletedAt: null,
  ...fields,
});

describe('toImportMessage', () => {
  it('maps a note to the ImportNotes message', () => {
    expect(toImportMessage(parsed({ tags: ['x'], isPinned: true }), [])).toEqual({
      id: 'md:abc',
      title: 'A',
      text: 'text',
      tags: ['x'],
      isPinned: true,
      isArchived: false,
      version: 1,
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-02T00:00:00.000Z',
      deletedAt: undefined,
    });
  });

  it('cuts a long title and says so; an empty one is Untitled', () => {
    const warnings: string[] = [];
    expect(toImportMessage(parsed({ title: '🙂'.repeat(150) }), warnings)?.title).toBe('🙂'.repeat(NOTE_LIMITS.title.max));
    expect(warnings).toEqual(['a.md: title cut to 100 characters']);
    expect(toImportMessage(parsed({ title: ' \n ' }), [])?.title).toBe('Untitled');
  });

  it('skips a note whose text is too long, with a warning', () => {
    const warnings: string[] = [];
    expect(toImportMessage(parsed({ text: 'x'.repeat(NOTE_LIMITS.text.max + 1) }), warnings)).toBeNull();
    expect(warnings).toEqual(['a.md: skipped, its text has 100,001 characters (at most 100,000)']);
    expect(toImportMessage(parsed({ text: 'x'.repeat(NOTE_LIMITS.text.max) }), [])).not.toBeNull();
  });

  it('never lets updatedAt come before createdAt', () => {
    expect(toImportMessage(parsed({ updatedAt: new Date('2000-01-01') }), [])?.updatedAt).toBe('2024-01-01T00:00:00.000Z');
  });

  it('keeps at most the tags a note may have, and says how many were left out', () => {
    const warnings: string[] = [];
    const tags = Array.from({ length: 25 }, (_, i) => `t${i}`);
    expect(toImportMessage(parsed({ tags }), warnings)?.tags).toHaveLength(NOTE_LIMITS.tags.maxCount);
    expect(warnings).toEqual(['a.md: 5 tags left out (at most 20)']);
  });
});

describe('normalizeTags', () => {
  it('trims, drops empty ones and duplicates by case or accent, cuts long ones and deep ones', () => {
    expect(normalizeTags([' Work ', 'work', 'Café', 'cafe', '', ' / ', 'a / b //c', 'x'.repeat(40), 'a/b/c/d/e/f/g']).tags).toEqual([
      'Work',
      'Café',
      'a/b/c',
      'x'.repeat(NOTE_LIMITS.tags.max),
      'a/b/c/d/e',
    ]);
  });
});

describe('helpers', () => {
  it('makes source ids of at most 40 characters', () => {
    expect(sourceIdOf('keep', 'Takeout/Keep/' + 'long name '.repeat(50) + '.json')).toMatch(/^keep:[\w-]{32}$/);
    expect(sourceIdOf('md', 'a')).not.toBe(sourceIdOf('md', 'b'));
  });

  it('normalises titles to one line', () => {
    expect(normalizeTitle('  two\nlines  ')).toBe('two lines');
  });

  it('accepts times MySQL keeps', () => {
    expect(validDate('2024-01-01T00:00:00Z')).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(validDate('nope')).toBeNull();
    expect(validDate(-1e15)).toBeNull();
    expect(validDate(undefined)).toBeNull();
  });
});
