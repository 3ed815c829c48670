/** How many values one `IN (...)` lookup carries. */
export const LOOKUP_CHUNK = 1_000;

/** Consecutive slices of at most `size` items. */
export function inChunks<T>(items: readonly T[], size = LOOKUP_CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** The key under which an imported row is stored: its source id and creation time, so the same import twice adds nothing. */
export function importKeyOf(sourceId: string, createdAt: Date): string {
  return `${sourceId}:${createdAt.toISOString()}`;
}

/** The items of an import the user does not have yet (`existing`), each key once, in order. */
export function freshImports<T extends { key: string }>(items: readonly T[], existing: ReadonlySet<string>): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (existing.has(item.key) || seen.has(item.key)) return false;
    seen.add(item.key);
    return true;
  });
}

/** Every row of a user, in batches of `batch` by id, oldest first (exports). */
export async function* inIdOrder<Row extends { id: string }, Item>(
  fetch: (afterId: string, limit: number) => Promise<Row[]>,
  map: (row: Row) => Item,
  batch = 500,
): AsyncGenerator<Item> {
  let afterId = '0';
  for (;;) {
    const rows = await fetch(afterId, batch);
    for (const row of rows) yield map(row);
    if (rows.length < batch) return;
    afterId = String(rows[rows.length - 1].id);
  }
}

/** Runs `batch` until it removes nothing (a purge in short statements); returns how many it removed. */
export async function drain(batch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let removed = await batch(); removed > 0; removed = await batch()) total += removed;
  return total;
}
