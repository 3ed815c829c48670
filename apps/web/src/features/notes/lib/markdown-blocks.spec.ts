import { normalizeSource, splitBlocks } from './markdown-blocks';

const texts = (source: string) => splitBlocks(source).map((b) => b.text);

describe(splitBlocks.name, () => {
  it('splits paragraphs, headings, quotes and tables at blank lines, with their first lines', () => {
    const source = '# Title\n\nA paragraph\nover two lines.\n\n> quoted\n> more\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n---\n';
    expect(splitBlocks(source)).toEqual([
      { text: '# Title\n\n', line: 0 },
      { text: 'A paragraph\nover two lines.\n\n', line: 2 },
      { text: '> quoted\n> more\n\n', line: 5 },
      { text: '| a | b |\n| - | - |\n| 1 | 2 |\n\n', line: 8 },
      { text: '---\n', line: 12 },
    ]);
    // The blocks are the note, cut (leading blank lines aside).
    expect(texts(source).join('')).toBe(source);
  });

  it('keeps lines together where there is no blank line (setext headings, lazy quotes, a heading after a paragraph)', () => {
    expect(texts('Title\n=====\ntext\n> quote\nlazy\n# h\npara\n')).toEqual(['Title\n=====\ntext\n> quote\nlazy\n# h\npara\n']);
  });

  it('skips blank lines before the first block; several blank lines (or white space only) end a block too', () => {
    expect(splitBlocks('\n\n  \none\n\n\n \t\ntwo')).toEqual([
      { text: 'one\n\n\n \t\n', line: 3 },
      { text: 'two', line: 7 },
    ]);
    expect(splitBlocks('')).toEqual([]);
    expect(splitBlocks('\n \n')).toEqual([]);
  });

  it('keeps a fenced code block with blank lines in it whole (``` and ~~~, longer fences, indented closers)', () => {
    expect(texts('```js\na\n\n# not a heading\n\n```\n\nafter\n')).toEqual(['```js\na\n\n# not a heading\n\n```\n\n', 'after\n']);
    expect(texts('~~~\n```\n\nx\n~~~\n\nafter')).toEqual(['~~~\n```\n\nx\n~~~\n\n', 'after']);
    expect(texts('````\n```\n\nx\n  ````\n\nafter')).toEqual(['````\n```\n\nx\n  ````\n\n', 'after']);
    // A closing fence has nothing after it; ``` with a backtick in its info string is no fence.
    expect(texts('```\n``` not closed\n\nx\n```\n\ny')).toEqual(['```\n``` not closed\n\nx\n```\n\n', 'y']);
    expect(texts('``` a`b\n\nx')).toEqual(['``` a`b\n\n', 'x']);
  });

  it('an unclosed fence runs to the end of the note', () => {
    expect(texts('intro\n\n```\ncode\n\nmore\n\n')).toEqual(['intro\n\n', '```\ncode\n\nmore\n\n']);
  });

  it('keeps a list whose items are separated by blank lines, continued or nested by indented lines, as one block', () => {
    const list = '- one\n\n- two\n\n  continued\n\n  - nested\n\n    deeper\n\n* other marker\n\n1. ordered\n\n2) also\n\n';
    expect(texts(`${list}after\n`)).toEqual([list, 'after\n']);
    // A fence in an item, with blank lines, closed at its indentation.
    expect(texts('- item\n  ```\n  a\n\n  b\n  ```\n\nafter')).toEqual(['- item\n  ```\n  a\n\n  b\n  ```\n\n', 'after']);
    // A list after a paragraph starts its own block; a paragraph after a list too.
    expect(texts('para\n\n- a\n\npara')).toEqual(['para\n\n', '- a\n\n', 'para']);
  });

  it('keeps indented code with blank lines, and any indented line after a blank line, with the block before', () => {
    expect(texts('    code\n\n    more\n\n  para\n\nnext')).toEqual(['    code\n\n    more\n\n  para\n\n', 'next']);
    expect(texts('\tcode\n\n\tmore\n\nnext')).toEqual(['\tcode\n\n\tmore\n\n', 'next']);
  });

  it('in doubt (an indented fence whose content leaves its indentation) keeps the rest of the note together', () => {
    const source = '- a\n  ```\n  x\n\n```\nreal fence\n\nmore\n```\n\nlast';
    expect(texts(source)).toEqual([source]);
  });

  it('splits reference definitions like any block', () => {
    expect(texts('[a]: https://a.example\n[b]: https://b.example "B"\n\nSee [a] and [b].\n')).toEqual([
      '[a]: https://a.example\n[b]: https://b.example "B"\n\n',
      'See [a] and [b].\n',
    ]);
  });

  it('normalises CRLF and CR line endings (as markdown-it does) and counts lines the same', () => {
    expect(splitBlocks('# A\r\n\r\npara\r\nline\r\n\r\n```\r\n\r\nx\r\n```\r')).toEqual([
      { text: '# A\n\n', line: 0 },
      { text: 'para\nline\n\n', line: 2 },
      { text: '```\n\nx\n```\n', line: 5 },
    ]);
    expect(normalizeSource('a\r\nb\rc\0')).toBe('a\nb\nc\uFFFD');
  });
});
