import type { EntityManager } from 'typeorm';

import { batchesOf } from './batches';
import { isId } from './ids';
import type { UsageQuota } from './usage-quota';

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

/** One item of an import: its key (importKeyOf), the id it had where it was exported, its row, its bytes for the quota. */
export interface ImportItem<New> {
  key: string;
  sourceId: string;
  row: New;
  bytes: number;
}

/** What importRows needs of a repository (an OwnedRows). */
export interface ImportTarget {
  existingImports(userId: string, keys: readonly string[], originalIds: readonly string[]): Promise<Set<string>>;
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  readonly manager: EntityManager;
  readonly usage: UsageQuota;
}

export interface ImportOptions<New, Message> {
  /** What an item weighs in a batch (IMPORT_BATCH_BYTES). */
  sizeOf: (item: ImportItem<New>) => number;
  /** Inserts a batch (skipping keys the user has); the ids of those inserted. */
  insert: (batch: ImportItem<New>[], manager: EntityManager) => Promise<{ id: string; key: string }[]>;
  toMessage: (row: New & { id: string; user_id: string }) => Message;
  /** After each batch's commit, with what it wrote (the events go out here). */
  committed: (messages: Message[]) => Promise<void>;
}

/**
 * The one import of the twin services. An item is skipped when the user already has it: imported
 * before (same key) or the very row the document was exported from. An import whose new rows
 * would go over the user's quota is refused whole (nothing written). The new rows are then
 * written in batches (IMPORT_BATCH_ROWS / IMPORT_BATCH_BYTES), one short transaction each, which
 * also takes its share of the quota under the usage lock; each batch is announced after its
 * commit. A failed batch leaves the earlier ones; the same import again writes the rest.
 */
export async function importRows<New, Message>(
  repo: ImportTarget,
  userId: string,
  items: readonly ImportItem<New>[],
  options: ImportOptions<New, Message>,
): Promise<{ created: number; skipped: number }> {
  const originalIds = [...new Set(items.filter((item) => isId(item.sourceId)).map((item) => item.sourceId))];
  const existing = await repo.existingImports(
    userId,
    items.map((item) => item.key),
    originalIds,
  );
  const fresh = freshImports(items, existing);
  const needed = { items: fresh.length, bytes: fresh.reduce((sum, item) => sum + item.bytes, 0) };
  repo.usage.check(await repo.usage.read(userId, repo.manager), needed);
  let created = 0;
  for (const batch of batchesOf(fresh, options.sizeOf)) {
    const messages = await repo.transaction(async (manager) => {
      const inserted = await options.insert(batch, manager);
      const byKey = new Map(batch.map((item) => [item.key, item]));
      const written = inserted.map(({ id, key }) => ({ id, item: byKey.get(key) as ImportItem<New> }));
      await repo.usage.add(userId, { items: written.length, bytes: written.reduce((sum, { item }) => sum + item.bytes, 0) }, manager);
      return written.map(({ id, item }) => options.toMessage({ ...item.row, id, user_id: userId }));
    });
    created += messages.length;
    if (messages.length > 0) await options.committed(messages);
  }
  return { created, skipped: items.length - created };
}

/** What createOnce needs of a repository (an OwnedRows). */
export interface CreateTarget<Row> {
  findByImportKey(userId: string, importKey: string): Promise<Row | undefined>;
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
}

/**
 * The one idempotent create: `write` inserts the row (with the request key as its import key,
 * unique per user) and its dependents in one transaction, returning the new id, or null when the
 * key was there. Then the row the first create made is the answer, even if that first answer
 * never reached the caller.
 */
export async function createOnce<Row>(
  repo: CreateTarget<Row>,
  userId: string,
  requestKey: string | null,
  write: (manager: EntityManager) => Promise<string | null>,
): Promise<{ id: string } | { earlier: Row }> {
  const id = await repo.transaction(write);
  if (id !== null) return { id };
  const earlier = requestKey ? await repo.findByImportKey(userId, requestKey) : undefined;
  if (!earlier) throw new Error('a create with an Idempotency-Key inserted nothing and found no earlier row');
  return { earlier };
}

/** Rows one statement of an account purge deletes. */
export const DELETE_BATCH = 5_000;

/** Removes every row of a user in batches (account deletion; safe to repeat), then `after` (the cache); returns how many. */
export async function deleteAllOf(
  repo: { deleteUserBatch(userId: string, limit: number): Promise<number> },
  userId: string,
  after: () => Promise<void>,
): Promise<number> {
  const deleted = await drain(() => repo.deleteUserBatch(userId, DELETE_BATCH));
  await after();
  return deleted;
}
