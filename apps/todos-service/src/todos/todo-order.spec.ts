import { TODO_LIMITS } from '@micronote/contracts';

import { TodoOrder } from './todo-order';
import type { PositionRow } from './todos.repository';

const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const inOrder = (a: PositionRow, b: PositionRow) => bytes(a.position, b.position) || Number(a.id) - Number(b.id);

/** The sibling reads TodoOrder makes, over an array (the SQL of each is covered by the integration tests). */
function siblingsInMemory(rows: PositionRow[]) {
  const sorted = () => [...rows].sort(inOrder);
  return {
    edgeSibling: async (_s: unknown, edge: 'first' | 'last') => (edge === 'first' ? sorted()[0] : sorted().at(-1)),
    siblingBeside: async (_s: unknown, position: string, side: 'after' | 'before') =>
      side === 'after'
        ? sorted().find((r) => bytes(r.position, position) > 0)
        : sorted()
            .reverse()
            .find((r) => bytes(r.position, position) < 0),
    siblingsInOrder: async () => sorted().map((r) => ({ ...r })),
    setPositions: jest.fn(async (positions: PositionRow[]) => {
      for (const { id, position } of positions) {
        const row = rows.find((r) => r.id === id);
        if (row) row.position = position;
      }
    }),
  };
}

describe(TodoOrder.name, () => {
  const siblings = { userId: '7', parentKey: '0' };
  const manager = {} as never;

  it('renumbers the siblings, keeping their order, before a key would outgrow the limit', async () => {
    const rows: PositionRow[] = [
      { id: '1', position: 'a0' },
      { id: '2', position: 'a1' },
      { id: '3', position: 'a2' },
      { id: '4', position: 'a3' },
    ];
    const repo = siblingsInMemory(rows);
    const order = new TodoOrder(repo as never);
    const byId = (id: string) => rows.find((r) => r.id === id) as PositionRow;
    // Alternately into the gap right after row 1: each move halves it.
    let [mover, other] = ['2', '3'];
    let longest = 0;
    for (let i = 0; i < 5_000; i++) {
      byId(mover).position = await order.between(siblings, { ...byId('1') }, { ...byId(other) }, manager);
      longest = Math.max(longest, byId(mover).position.length);
      [mover, other] = [other, mover];
    }
    expect(repo.setPositions).toHaveBeenCalled();
    expect(longest).toBeLessThanOrEqual(TODO_LIMITS.position.max);
    expect([...rows].sort(inOrder).map((r) => r.id)).toEqual(['1', other, mover, '4']);
  });

  it('goes right after `after` when the caller has the neighbours the wrong way round or tied', async () => {
    const rows = [
      { id: '1', position: 'a0' },
      { id: '2', position: 'a1' },
      { id: '3', position: 'a1' },
      { id: '4', position: 'a2' },
    ];
    const order = new TodoOrder(siblingsInMemory(rows) as never);
    const tied = await order.between(siblings, rows[1], rows[2], manager);
    expect([bytes(tied, 'a1'), bytes(tied, 'a2')]).toEqual([1, -1]);
    const reversed = await order.between(siblings, rows[3], rows[0], manager);
    expect(bytes(reversed, 'a2')).toBe(1);
  });

  it('places at the start with no neighbour and at the end after the last', async () => {
    const rows = [
      { id: '1', position: 'a0' },
      { id: '2', position: 'a1' },
    ];
    const order = new TodoOrder(siblingsInMemory(rows) as never);
    expect(bytes(await order.between(siblings, undefined, undefined, manager), 'a0')).toBe(-1);
    expect(bytes(await order.atEnd(siblings, manager), 'a1')).toBe(1);
    expect(bytes(await order.between(siblings, undefined, rows[0], manager), 'a0')).toBe(-1);
    expect(await order.manyAtEnd(siblings, 3, manager)).toEqual(['a2', 'a3', 'a4']);
  });
});
