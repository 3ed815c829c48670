import { buildTagTree, isTagOrChild, renamedTag, tagAncestors, visibleTagNodes } from './tag-tree';

describe(buildTagTree.name, () => {
  it('nests a/b/c under its parents, sorted by name, with exact counts and subtree totals', () => {
    const tree = buildTagTree([
      { tag: 'work/projects/alpha', count: 2 },
      { tag: 'home', count: 4 },
      { tag: 'work', count: 1 },
      { tag: 'work/meetings', count: 3 },
      { tag: 'Books', count: 1 },
    ]);
    expect(tree.map((n) => n.name)).toEqual(['Books', 'home', 'work']);
    const work = tree[2];
    expect(work).toMatchObject({ tag: 'work', count: 1, total: 6 });
    expect(work.children.map((n) => [n.tag, n.name, n.count, n.total])).toEqual([
      ['work/meetings', 'meetings', 3, 3],
      ['work/projects', 'projects', 0, 2],
    ]);
    expect(work.children[1].children).toEqual([{ tag: 'work/projects/alpha', name: 'alpha', count: 2, total: 2, children: [] }]);
  });

  it('makes up a parent that only exists through its children (count 0)', () => {
    const [a] = buildTagTree([{ tag: 'a/b', count: 5 }]);
    expect(a).toMatchObject({ tag: 'a', name: 'a', count: 0, total: 5 });
  });

  it('keeps a tag with an empty level (a//b, /a, a/) as one leaf at the root', () => {
    const tree = buildTagTree([
      { tag: 'a//b', count: 1 },
      { tag: '/x', count: 2 },
      { tag: 'y/', count: 3 },
    ]);
    expect(tree.map((n) => [n.tag, n.name, n.children.length])).toEqual([
      ['/x', '/x', 0],
      ['a//b', 'a//b', 0],
      ['y/', 'y/', 0],
    ]);
  });

  it('sorts case-insensitively and adds nothing for no tags', () => {
    expect(buildTagTree([])).toEqual([]);
    expect(
      buildTagTree([
        { tag: 'b', count: 1 },
        { tag: 'A', count: 1 },
        { tag: 'a', count: 1 },
      ]).map((n) => n.tag),
    ).toEqual(['a', 'A', 'b']);
  });
});

describe(visibleTagNodes.name, () => {
  const tree = buildTagTree([
    { tag: 'a/b/c', count: 1 },
    { tag: 'a/d', count: 1 },
    { tag: 'e', count: 1 },
  ]);

  it('lists only what every ancestor opens, in document order, with levels and parents', () => {
    expect(visibleTagNodes(tree, new Set()).map((v) => v.node.tag)).toEqual(['a', 'e']);
    expect(visibleTagNodes(tree, new Set(['a'])).map((v) => [v.node.tag, v.level, v.parent])).toEqual([
      ['a', 1, null],
      ['a/b', 2, 'a'],
      ['a/d', 2, 'a'],
      ['e', 1, null],
    ]);
    // An open child of a closed parent stays hidden.
    expect(visibleTagNodes(tree, new Set(['a/b'])).map((v) => v.node.tag)).toEqual(['a', 'e']);
    expect(visibleTagNodes(tree, new Set(['a', 'a/b'])).map((v) => v.node.tag)).toEqual(['a', 'a/b', 'a/b/c', 'a/d', 'e']);
  });
});

describe('tag paths', () => {
  it('names the ancestors of a tag', () => {
    expect(tagAncestors('a/b/c')).toEqual(['a', 'a/b']);
    expect(tagAncestors('a')).toEqual([]);
    expect(tagAncestors('')).toEqual([]);
    expect(tagAncestors('a//b')).toEqual([]);
  });

  it('tells a tag and its children from a tag that only starts the same', () => {
    expect(isTagOrChild('work', 'work')).toBe(true);
    expect(isTagOrChild('work/x', 'work')).toBe(true);
    expect(isTagOrChild('workshop', 'work')).toBe(false);
  });

  it('renames a tag and its children as the server does', () => {
    expect(renamedTag('work/x/y', 'work', 'job')).toBe('job/x/y');
    expect(renamedTag('work', 'work', 'job')).toBe('job');
    expect(renamedTag('workshop', 'work', 'job')).toBe('workshop');
  });
});
