import { mergeNote, mergeTags } from './note-merge';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const note = (title: string, text: string, tags: string[] = []) => ({ title, text, tags });

describe(mergeNote.name, () => {
  const base = note('Plan', 'one\ntwo\nthree\nfour\nfive');

  it('applies edits of different lines from both sides', () => {
    const mine = note('Plan', 'ONE\ntwo\nthree\nfour\nfive');
    const theirs = note('Plan', 'one\ntwo\nthree\nfour\nFIVE\nsix');
    expect(mergeNote(base, mine, theirs, same)).toEqual({ merged: note('Plan', 'ONE\ntwo\nthree\nfour\nFIVE\nsix') });
  });

  it('takes a title changed on one side only, and the same change made on both sides', () => {
    expect(mergeNote(base, note('Mine', base.text), base, same).merged?.title).toBe('Mine');
    expect(mergeNote(base, base, note('Theirs', base.text), same).merged?.title).toBe('Theirs');
    expect(mergeNote(base, note('Both', 'one\nTWO\nthree\nfour\nfive'), note('Both', 'one\nTWO\nthree\nfour\nfive'), same)).toEqual({
      merged: note('Both', 'one\nTWO\nthree\nfour\nfive'),
    });
  });

  it('reports overlapping edits with the line ranges of each side', () => {
    const mine = note('Plan', 'one\nmine 2\nmine 3\nfour\nfive');
    const theirs = note('Plan', 'one\ntheirs 2\nfour\nfive');
    expect(mergeNote(base, mine, theirs, same)).toEqual({
      conflicts: [{ field: 'text', base: { start: 1, end: 3 }, mine: { start: 1, end: 3 }, theirs: { start: 1, end: 2 } }],
    });
  });

  it('reports a title changed differently on both sides as a one-line hunk', () => {
    expect(mergeNote(base, note('A', base.text), note('B', base.text), same).conflicts).toEqual([
      { field: 'title', base: { start: 0, end: 1 }, mine: { start: 0, end: 1 }, theirs: { start: 0, end: 1 } },
    ]);
  });

  it('merges an empty base with one side adding text', () => {
    expect(mergeNote(note('t', ''), note('t', 'hello'), note('t', ''), same).merged?.text).toBe('hello');
  });
});

describe(mergeTags.name, () => {
  it('keeps the additions of both sides', () => {
    expect(mergeTags(['a'], ['a', 'mine'], ['a', 'theirs'], same)).toEqual(['a', 'theirs', 'mine']);
  });

  it('applies removals from either side, even when the other side kept the tag', () => {
    expect(mergeTags(['a', 'b', 'c'], ['a', 'c'], ['a', 'b'], same)).toEqual(['a']);
  });

  it('treats spellings the collation joins as one tag', () => {
    expect(mergeTags(['Work'], ['work', 'x'], ['WORK'], same)).toEqual(['WORK', 'x']);
    expect(mergeTags(['Work'], [], ['WORK', 'y'], same)).toEqual(['y']);
  });
});
