import { invalidInput } from './ids';

/** A list page carries at most this many bytes of items: a page of large notes comes back shorter, with a nextCursor. */
export const PAGE_MAX_BYTES = 2 * 1024 * 1024;

/**
 * How many of `items` (in order) fit in `maxBytes` by `sizeOf`: at least one, so a page always
 * makes progress (one item is far below the gRPC message limit).
 */
export function fitsInPage<T>(items: readonly T[], sizeOf: (item: T) => number, maxBytes = PAGE_MAX_BYTES): number {
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    bytes += sizeOf(items[i]);
    if (bytes > maxBytes) return Math.max(1, i);
  }
  return items.length;
}

/** A list call's page size: its `limit`, or the default when 0 (unset); out of range is INVALID_ARGUMENT. */
export function pageSize(limit: number, limits: { min: number; max: number; default: number }): number {
  if (!limit) return limits.default;
  if (!Number.isInteger(limit) || limit < limits.min || limit > limits.max)
    throw invalidInput(`limit must be ${limits.min} to ${limits.max}`);
  return limit;
}

/**
 * One keyset page from `rows` (fetched with limit + 1): at most `limit` items and PAGE_MAX_BYTES
 * by `sizeOf` (a page of large rows comes back shorter, never over the gRPC message limit), and
 * the cursor after its last row when more rows follow.
 */
export function keysetPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  page: { sizeOf: (row: Row) => number; toItem: (row: Row) => Item; cursorAfter: (last: Row) => string },
): { items: Item[]; nextCursor: string | undefined } {
  const kept = rows.slice(0, Math.min(limit, fitsInPage(rows, page.sizeOf)));
  return {
    items: kept.map((row) => page.toItem(row)),
    nextCursor: rows.length > kept.length ? page.cursorAfter(kept[kept.length - 1]) : undefined,
  };
}
