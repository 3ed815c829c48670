import { moveItem, moveNeighbours } from './move';

describe('moveNeighbours', () => {
  const ids = ['a', 'b', 'c', 'd'];

  it('down: after the one it passed, before the next', () => {
    expect(moveNeighbours(ids, 0, 2)).toEqual({ order: ['b', 'c', 'a', 'd'], request: { after: 'c', before: 'd' } });
  });

  it('up: after the one above its new place, before the one it passed', () => {
    expect(moveNeighbours(ids, 3, 1)).toEqual({ order: ['a', 'd', 'b', 'c'], request: { after: 'a', before: 'b' } });
  });

  it('to the top or the bottom: one neighbour only', () => {
    expect(moveNeighbours(ids, 2, 0)).toEqual({ order: ['c', 'a', 'b', 'd'], request: { before: 'a' } });
    expect(moveNeighbours(ids, 1, 3)).toEqual({ order: ['a', 'c', 'd', 'b'], request: { after: 'd' } });
  });

  it('nothing when it stays or the indices are off', () => {
    expect(moveNeighbours(ids, 1, 1)).toBeNull();
    expect(moveNeighbours(ids, -1, 1)).toBeNull();
    expect(moveNeighbours(ids, 0, 4)).toBeNull();
    expect(moveNeighbours(['a'], 0, 0)).toBeNull();
  });

  it('moveItem leaves the input alone', () => {
    const input = ['a', 'b', 'c'];
    expect(moveItem(input, 2, 0)).toEqual(['c', 'a', 'b']);
    expect(input).toEqual(['a', 'b', 'c']);
  });
});
