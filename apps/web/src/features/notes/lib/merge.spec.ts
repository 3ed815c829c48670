import { applyResolutions, mergeClean, mergeTags, planMerge } from './merge';

const fields = (text: string, title = 'T', tags: string[] = []) => ({ title, text, tags });

describe(planMerge.name, () => {
  const base = fields('intro\nalpha\nmiddle\nomega\nend');

  it('merges edits of different lines at once and leaves only the overlapping hunk to choose', () => {
    const mine = fields('INTRO (mine)\nalpha\nmiddle\nomega mine\nend');
    const theirs = fields('intro\nalpha\nmiddle\nomega theirs\nend\nappended by them');
    const plan = planMerge(base, mine, theirs);
    expect(plan.conflicts).toEqual([
      { kind: 'conflict', id: 0, field: 'text', base: ['omega'], mine: ['omega mine'], theirs: ['omega theirs'] },
    ]);
    expect(plan.text).toEqual([
      { kind: 'merged', lines: ['INTRO (mine)', 'alpha', 'middle'] },
      plan.conflicts[0],
      { kind: 'merged', lines: ['end', 'appended by them'] },
    ]);
    expect(applyResolutions(plan, new Map())).toBeNull();
    expect(applyResolutions(plan, new Map([[0, { choice: 'theirs' }]]))?.text).toBe(
      'INTRO (mine)\nalpha\nmiddle\nomega theirs\nend\nappended by them',
    );
    expect(applyResolutions(plan, new Map([[0, { choice: 'mine' }]]))?.text).toBe(
      'INTRO (mine)\nalpha\nmiddle\nomega mine\nend\nappended by them',
    );
    expect(applyResolutions(plan, new Map([[0, { choice: 'edit', text: 'omega both\nand more' }]]))?.text).toBe(
      'INTRO (mine)\nalpha\nmiddle\nomega both\nand more\nend\nappended by them',
    );
  });

  it('numbers several hunks in order; the same change on both sides is no conflict', () => {
    const base7 = fields('a\nb\nc\nd\ne\nf\ng');
    const mine = fields('a1\nb\nc same\nd\ne1\nf\ng');
    const theirs = fields('a2\nb\nc same\nd\ne2\nf\ng');
    const plan = planMerge(base7, mine, theirs);
    expect(plan.conflicts.map((c) => [c.id, c.mine, c.theirs])).toEqual([
      [0, ['a1'], ['a2']],
      [1, ['e1'], ['e2']],
    ]);
    const merged = applyResolutions(
      plan,
      new Map([
        [0, { choice: 'mine' }],
        [1, { choice: 'theirs' }],
      ]),
    );
    expect(merged?.text).toBe('a1\nb\nc same\nd\ne2\nf\ng');
  });

  it('a title changed on both sides is a hunk of its own (first); changed on one side it is taken', () => {
    const plan = planMerge(fields('x', 'Base'), fields('x', 'Mine'), fields('x', 'Theirs'));
    expect(plan.conflicts).toEqual([{ kind: 'conflict', id: 0, field: 'title', base: ['Base'], mine: ['Mine'], theirs: ['Theirs'] }]);
    expect(applyResolutions(plan, new Map([[0, { choice: 'theirs' }]]))?.title).toBe('Theirs');
    expect(planMerge(fields('x', 'Base'), fields('x', 'Base'), fields('x', 'Theirs')).title).toBe('Theirs');
    expect(planMerge(fields('x', 'Base'), fields('x', 'Mine'), fields('x', 'Base')).title).toBe('Mine');
  });

  it('merges tags: theirs, plus what mine added, minus what mine removed', () => {
    expect(mergeTags(['a', 'b'], ['b', 'c'], ['a', 'b', 'd'])).toEqual(['b', 'd', 'c']);
  });

  it('mergeClean gives the merge when nothing overlaps, null otherwise', () => {
    expect(mergeClean(base, fields('intro!\nalpha\nmiddle\nomega\nend'), fields('intro\nalpha\nmiddle\nomega\nend!'))?.text).toBe(
      'intro!\nalpha\nmiddle\nomega\nend!',
    );
    expect(mergeClean(base, fields('x\nalpha\nmiddle\nomega\nend'), fields('y\nalpha\nmiddle\nomega\nend'))).toBeNull();
  });
});
