/** Rows an import writes per transaction: short transactions, each well inside a call's deadline. */
export const IMPORT_BATCH_ROWS = 500;
/** ...and at most these many bytes of text per statement (under MariaDB's max_allowed_packet, 16 MiB). */
export const IMPORT_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Splits items into consecutive batches of at most `maxRows` items and `maxBytes` bytes by
 * `sizeOf` (an item larger than `maxBytes` is a batch of its own). Order is kept.
 */
export function batchesOf<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  maxRows = IMPORT_BATCH_ROWS,
  maxBytes = IMPORT_BATCH_BYTES,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= maxRows || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
