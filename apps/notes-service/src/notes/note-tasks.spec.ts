import { taskItems, tickTask } from './note-tasks';

describe(tickTask.name, () => {
  it('finds GFM task items of every list marker, at any indentation and in block quotes', () => {
    const text = ['- [ ] a', '* [x] b', '+ [ ] c', '1. [X] d', '12) [ ] e', '    - [ ] nested', '> - [ ] quoted', '-  [ ]  spaced  '].join(
      '\n',
    );
    expect(taskItems(text).map((t) => [t.text, t.checked])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
      ['d', true],
      ['e', false],
      ['nested', false],
      ['quoted', false],
      ['spaced', false],
    ]);
  });

  it('is not fooled by look-alikes: no space after the marker or the box, other box contents, links', () => {
    const text = ['-[ ] a', '- [ ]b', '- [y] c', '- [] d', 'text [ ] e', '- [link](x)', '- [ ]', '- [x]'].join('\n');
    expect(taskItems(text).map((t) => t.text)).toEqual(['', '']);
  });

  it('ignores items inside fenced code blocks (``` and ~~~, closed only by a fence at least as long)', () => {
    const text = [
      '- [ ] real 1',
      '```md',
      '- [ ] in code',
      '```',
      '~~~~',
      '- [ ] in tildes',
      '~~~',
      '- [ ] still in tildes',
      '~~~~~',
      '  ```',
      '  - [ ] indented fence',
      '  ```',
      '- [ ] real 2',
    ].join('\n');
    expect(taskItems(text).map((t) => t.text)).toEqual(['real 1', 'real 2']);
  });

  it('ticks and unticks by text, keeping the rest of the line and the other lines as they are', () => {
    const text = 'Title\n  - [ ] milk  \r\n- [x] eggs\n';
    expect(tickTask(text, { index: 0, text: 'milk', checked: true })).toEqual({
      found: true,
      changed: true,
      text: 'Title\n  - [x] milk  \r\n- [x] eggs\n',
    });
    expect(tickTask(text, { index: 1, text: ' eggs ', checked: false })).toEqual({
      found: true,
      changed: true,
      text: 'Title\n  - [ ] milk  \r\n- [ ] eggs\n',
    });
  });

  it('changes nothing when the item already has that state', () => {
    expect(tickTask('- [X] done', { index: 0, text: 'done', checked: true })).toEqual({ found: true, changed: false, text: '- [X] done' });
  });

  it('finds the item on a stale index (lines added above it)', () => {
    const text = '- [ ] new one\n- [ ] another\n- [ ] bread';
    expect(tickTask(text, { index: 0, text: 'bread', checked: true })).toMatchObject({ text: '- [ ] new one\n- [ ] another\n- [x] bread' });
  });

  it('ticks the repeated item nearest the index (the earlier one on a tie)', () => {
    const text = ['- [ ] water', '- [ ] x', '- [ ] water', '- [ ] y', '- [ ] water'].join('\n');
    const ticked = (index: number) =>
      taskItems((tickTask(text, { index, text: 'water', checked: true }) as { text: string }).text).findIndex((t) => t.checked);
    expect(ticked(0)).toBe(0);
    expect(ticked(1)).toBe(0);
    expect(ticked(3)).toBe(2);
    expect(ticked(4)).toBe(4);
    expect(ticked(40)).toBe(4);
  });

  it('reports a text no item has (a deleted line, or one only inside a code block)', () => {
    expect(tickTask('- [ ] a', { index: 0, text: 'b', checked: true })).toEqual({ found: false });
    expect(tickTask('```\n- [ ] b\n```', { index: 0, text: 'b', checked: true })).toEqual({ found: false });
  });
});
