import MarkdownIt from 'markdown-it';

import { findTasks, taskListPlugin } from './task-list';

const md = new MarkdownIt('default', { html: false }).use(taskListPlugin);

describe(taskListPlugin.name, () => {
  it('renders [ ] and [x] list items as checkboxes numbered in document order (nested lists included)', () => {
    const html = md.render('- [ ] milk\n- [x] eggs\n  - [X] brown ones\n- plain\n\n1. [ ] first\n');
    const boxes = [...html.matchAll(/<input type="checkbox" class="task-checkbox" data-task-index="(\d+)"( checked)?/g)];
    expect(boxes.map((m) => [Number(m[1]), Boolean(m[2])])).toEqual([
      [0, false],
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(html).toContain(
      '<li class="task-list-item"><input type="checkbox" class="task-checkbox" data-task-index="0" aria-label="milk"> milk</li>',
    );
    expect(html).toContain('<ul class="contains-task-list">');
    expect(html).toContain('<li>plain</li>');
    expect(html).not.toContain('[x]');
  });

  it('gives each item its text as written after the marker (what POST /tasks matches) and its source line', () => {
    expect(findTasks(md, 'Intro\n\n- [ ] buy **oat** milk\n- [x] call Bob  \n  continued\n')).toEqual([
      { index: 0, text: 'buy **oat** milk', checked: false, line: 2 },
      { index: 1, text: 'call Bob', checked: true, line: 3 },
    ]);
  });

  it('leaves markers that are not at the start of a list item alone', () => {
    const text =
      '[ ] not in a list\n\n- text [ ] in the middle\n- `[ ]` in code\n- [y] not a marker\n- [ ]no space\n\n```\n- [ ] in a fence\n```\n\n> quoted\n';
    expect(findTasks(md, text)).toEqual([]);
    expect(md.render(text)).not.toContain('checkbox');
  });

  it('counts items in block quotes and ordered lists, and an item with no text yet', () => {
    expect(findTasks(md, '> - [ ] quoted\n\n3) [x] ordered\n- [ ]\n').map((t) => [t.index, t.text, t.checked])).toEqual([
      [0, 'quoted', false],
      [1, 'ordered', true],
      [2, '', false],
    ]);
  });

  it('escapes the text in the label', () => {
    expect(md.render('- [ ] <b>"x"</b>')).toContain('aria-label="&lt;b&gt;&quot;x&quot;&lt;/b&gt;"');
  });
});
