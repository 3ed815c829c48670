import { createBlockRenderer, createMarkdown, renderWithTasks } from './markdown';

const md = createMarkdown();

/** The blocks' HTML as the page shows it: one after the other, the task indices made global. */
function chunked(render: ReturnType<typeof createBlockRenderer>, text: string): string {
  let index = 0;
  return render(text)
    .blocks.map((b) => b.html)
    .join('')
    .replace(/data-task-index="\d+"/g, () => `data-task-index="${index++}"`);
}

const SAMPLES: Record<string, string> = {
  'headings, paragraphs, emphasis, hard breaks': '# One\n\nText *a* **b** `c`  \nnext line\\\nthird\n\nSetext\n===\n\n## Two ##\n',
  'fenced code with blank lines and markup inside': '```js\nconst a = 1;\n\n# no heading\n\n- no list\n```\n\n~~~\n\n~~~\n\nafter\n',
  'an unclosed fence': 'intro\n\n```\ncode\n\n\nstill code\n\n',
  'tight and loose lists, nested, ordered, continued':
    '- a\n- b\n  - c\n\n- d\n\n  para in d\n\n1. one\n2. two\n\n   three\n\n3) other\n\n* star\n+ plus\n\ntext after\n',
  'a list followed by a paragraph (tight), then a list after a blank line': '- a\n- b\n\npara\n\n- c\n- d\n',
  'task lists across blocks, nested, quoted, ordered':
    '- [ ] one\n- [x] two\n\nMiddle\n\n- [ ] three\n  - [X] four\n\n> - [ ] quoted\n\n1. [ ] ordered\n\n- plain\n- [ ]\n',
  'block quotes, lazy lines, nested quotes': '> a\nlazy\n\n> b\n> > nested\n\n>\n\n> c\n',
  tables: '| a | b |\n| :- | -: |\n| 1 | 2 |\n| 3 |\n\n| x |\n| - |\n\nnot | a table\n',
  'indented code with blank lines': '    code\n\n    more code\n\n\n    still\n\npara\n\n    after para\n',
  'thematic breaks and setext ambiguity': 'para\n---\n\n---\n\n- - -\n\n***\n\n- a\n\n---\n',
  'links, autolinks, images, escapes, inert HTML and javascript: links':
    'See https://example.com and <https://a.example>.\n\n[x](javascript:alert(1)) ![i](https://img.example/i.png)\n\n<script>alert(1)</script>\n\n<div>\n\n*x*\n\n</div>\n\n\\# not a heading\n',
  'reference definitions used across blocks, first definition wins':
    'See [one], [Two][two] and [three][].\n\n[one]: https://one.example "One"\n\n> [two]: https://two.example\n\n- [three]: https://three.example\n\n[ONE]: https://ignored.example\n\n![img][one]\n',
  'a reference definition inside a fence is no definition': '```\n[a]: https://no.example\n```\n\n[a]\n',
  'CRLF line endings': '# A\r\n\r\n- [ ] x\r\n- [x] y\r\n\r\n```\r\n\r\ncode\r\n```\r\n\r\ntext\r\n',
  'fences in list items, indented fences': '- a\n  ```\n  x\n\n  y\n  ```\n\n  ```\n  z\n\n- b\n\n  ```\nfoo\n\n  ```\n\nend\n',
  'the notes e2e 100 KB note (a slice)': bigNote(8_000),
};

function bigNote(size: number): string {
  const block = (i: number) =>
    `## Section ${i}\n\nSome *text* with **bold**, \`code\`, a [link](https://example.com/${i}) and ~~strike~~.\n\n- [ ] task ${i}\n- [x] done ${i}\n  - nested item\n\n| col | val |\n| --- | --- |\n| ${i} | ${i * 2} |\n\n> quoted line ${i}\n\n`;
  let text = '';
  for (let i = 0; text.length < size; i++) text += block(i);
  return text;
}

describe(createBlockRenderer.name, () => {
  it.each(Object.entries(SAMPLES))('renders %s as markdown-it renders the whole note', (_name, text) => {
    expect(chunked(createBlockRenderer(), text)).toBe(md.render(text));
  });

  it('renders random mixes of blocks as markdown-it renders the whole note', () => {
    const pieces = [
      '# h',
      'para',
      'lazy line',
      '- item',
      '- [ ] task',
      '  - [x] nested task',
      '  continued',
      '1. ordered',
      '2) other',
      '> quote',
      '> - [ ] quoted task',
      '```',
      '~~~',
      '  ```',
      '    indented',
      '| a | b |',
      '| - | - |',
      '---',
      '[r]: https://r.example',
      'see [r]',
      '===',
      '\t tab',
      '',
      '',
      '',
    ];
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const render = createBlockRenderer();
    for (let n = 0; n < 400; n++) {
      const lines = Array.from({ length: 1 + Math.floor(random() * 30) }, () => pieces[Math.floor(random() * pieces.length)]);
      const text = lines.join('\n');
      expect({ text, html: chunked(render, text) }).toEqual({ text, html: md.render(text) });
    }
  });

  it('numbers task items across blocks in document order, with their lines in the note', () => {
    const text = '- [ ] one\n- [x] two\n\nMiddle\n\n> - [ ] three\n\n1. [ ] four\n   - [X] five\n';
    const { tasks } = createBlockRenderer()(text);
    expect(tasks).toEqual(renderWithTasks(text).tasks);
    expect(tasks.map((t) => [t.index, t.text, t.checked, t.line])).toEqual([
      [0, 'one', false, 0],
      [1, 'two', true, 1],
      [2, 'three', false, 5],
      [3, 'four', false, 7],
      [4, 'five', true, 8],
    ]);
    expect(createBlockRenderer()(text).blocks.map((b) => b.taskOffset)).toEqual([0, 2, 2, 3]);
  });

  it('an edit re-parses only the block it is in; the others keep their HTML (the same string) and key', () => {
    const render = createBlockRenderer();
    const text = bigNote(20_000);
    const first = render(text);
    expect(first.parsed).toBe(first.blocks.length);
    expect(render(text).parsed).toBe(0);

    const edited = text.replace('## Section 3\n', '## Section 3!\n');
    const second = render(edited);
    expect(second.parsed).toBe(1);
    const changed = second.blocks.filter((b, i) => b.key !== first.blocks[i].key);
    expect(changed.map((b) => b.html)).toEqual(['<h2>Section 3!</h2>\n']);
    second.blocks.forEach((b, i) => {
      if (b.key === first.blocks[i].key) expect(b.html).toBe(first.blocks[i].html);
    });

    // A new task above shifts the offsets of the blocks below, without re-parsing them.
    const withTask = `- [ ] new\n\n${edited}`;
    const third = render(withTask);
    expect(third.parsed).toBe(1);
    expect(third.tasks[0]).toEqual({ index: 0, text: 'new', checked: false, line: 0 });
    expect(third.tasks.slice(1).map((t) => t.index)).toEqual(second.tasks.map((t) => t.index + 1));
    expect(chunked(createBlockRenderer(), withTask)).toBe(md.render(withTask));
  });

  it('repeated blocks share one cache entry and get distinct keys', () => {
    const { blocks, parsed } = createBlockRenderer()('same\n\nsame\n\nother\n\nsame\n\n');
    expect(parsed).toBe(2);
    expect(new Set(blocks.map((b) => b.key)).size).toBe(4);
  });

  it('a changed reference definition re-renders the blocks that may use it, and only those', () => {
    const render = createBlockRenderer();
    const text = 'See [a].\n\nNo brackets here.\n\n[a]: https://one.example\n';
    render(text);
    const changed = text.replace('one.example', 'two.example');
    const again = render(changed);
    // The definition's block and the block with a `[`; not the plain paragraph.
    expect(again.parsed).toBe(2);
    expect(again.blocks[0].html).toContain('href="https://two.example"');
    expect(chunked(createBlockRenderer(), changed)).toBe(md.render(changed));
    // The definition removed: a plain `[a]` again.
    expect(render('See [a].\n\nNo brackets here.\n').blocks[0].html).toBe('<p>See [a].</p>\n');
  });
});

describe('createBlockRenderer with a time budget', () => {
  it('renders the first blocks, then the rest on the next calls, without parsing a block twice', () => {
    const text = bigNote(30_000);
    const render = createBlockRenderer();
    const now = jest.spyOn(performance, 'now');
    let clock = 0;
    // Every reading of the clock: 1 ms later.
    now.mockImplementation(() => clock++);
    const first = render(text, 5);
    expect(first.complete).toBe(false);
    expect(first.blocks.length).toBeGreaterThan(0);
    expect(first.blocks.length).toBeLessThan(20);
    let total = first.parsed;
    let last = first;
    for (let n = 0; !last.complete && n < 1000; n++) {
      last = render(text, 5);
      total += last.parsed;
    }
    now.mockRestore();
    expect(last.complete).toBe(true);
    expect(total).toBe(last.blocks.length);
    expect(chunked(render, text)).toBe(md.render(text));
  });

  it('renders a short note whole in one call, however slow the clock (a loaded machine)', () => {
    const text = '# Plan\n\n- [ ] one\n- [x] two\n\nSee [docs].\n\n> quote\n\n[docs]: https://example.com/docs\n';
    const now = jest.spyOn(performance, 'now');
    let clock = 0;
    // Every reading of the clock: 100 ms later, far past any budget.
    now.mockImplementation(() => (clock += 100));
    const result = createBlockRenderer()(text, 5);
    now.mockRestore();
    expect(result.complete).toBe(true);
    expect(result.blocks.map((b) => b.html).join('')).toBe(md.render(text));
  });
});
