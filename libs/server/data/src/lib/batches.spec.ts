import { batchesOf } from './batches';

describe(batchesOf.name, () => {
  it('cuts by row count and by bytes, keeping order; an oversized item is a batch of its own', () => {
    expect(batchesOf([1, 2, 3, 4, 5], () => 1, 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batchesOf([3, 3, 3, 10, 1], (n) => n, 100, 6)).toEqual([[3, 3], [3], [10], [1]]);
    expect(batchesOf([], () => 1)).toEqual([]);
  });
});
