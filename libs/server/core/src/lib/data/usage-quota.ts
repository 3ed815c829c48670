import { ErrorCode } from '@micronote/contracts';
import type { EntityManager } from 'typeorm';

import { DomainError, GrpcStatus } from '../errors/domain-error';

/** What one user holds in a data service: rows, and bytes of their stored text. */
export interface Usage {
  items: number;
  bytes: number;
}

/** A user's ceilings; `bytes` absent: no byte quota (the row count and row size already bound it). */
export interface UsageLimits {
  items: number;
  bytes?: number;
}

/** UTF-8 bytes of the given strings (what MariaDB's LENGTH() counts for utf8mb4 text). */
export function utf8Bytes(...values: string[]): number {
  let total = 0;
  for (const value of values) total += Buffer.byteLength(value, 'utf8');
  return total;
}

/** Over quota: 403 QUOTA_EXCEEDED, with which quota and its limit in the details. */
export function quotaExceeded(quota: string, limit: number, message: string): DomainError {
  return new DomainError(ErrorCode.QuotaExceeded, message, GrpcStatus.PERMISSION_DENIED, { quota, limit });
}

/**
 * Per-user quotas kept as one counter row per user (`<table>(user_id PK, items, bytes)`), which
 * every write changes inside its own transaction. `add` locks the user's row first (creating it
 * on the user's first write), so two parallel writes at the limit are serialized and the second
 * sees the first's count: they cannot both pass. Lock order everywhere: the data rows, then the
 * usage row (a write finds or inserts its rows before it calls `add`).
 */
export class UsageQuota {
  constructor(
    private readonly table: string,
    private readonly limits: UsageLimits,
    private readonly exceeded: (which: 'items' | 'bytes', limit: number) => Error,
  ) {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`bad usage table name ${table}`);
  }

  get itemLimit(): number {
    return this.limits.items;
  }

  /**
   * Inside the caller's transaction: adds `delta` to the user's usage, or throws the quota error
   * (the caller's transaction then rolls back) when a positive delta would go over a limit.
   * A delta that only shrinks usage always passes.
   */
  async add(manager: EntityManager, userId: string, delta: Usage): Promise<void> {
    if (delta.items === 0 && delta.bytes === 0) return;
    if (delta.items <= 0 && delta.bytes <= 0) {
      await manager.query(`UPDATE ${this.table} SET items = GREATEST(0, items + ?), bytes = GREATEST(0, bytes + ?) WHERE user_id = ?`, [
        delta.items,
        delta.bytes,
        userId,
      ]);
      return;
    }
    // ON DUPLICATE KEY UPDATE takes the row's exclusive lock at once (INSERT IGNORE would take a
    // shared one, and two of those upgrading to exclusive deadlock).
    await manager.query(`INSERT INTO ${this.table} (user_id, items, bytes) VALUES (?, 0, 0) ON DUPLICATE KEY UPDATE user_id = user_id`, [
      userId,
    ]);
    const [row]: { items: string | number; bytes: string | number }[] = await manager.query(
      `SELECT items, bytes FROM ${this.table} WHERE user_id = ? FOR UPDATE`,
      [userId],
    );
    const items = Number(row?.items ?? 0) + delta.items;
    const bytes = Number(row?.bytes ?? 0) + delta.bytes;
    if (delta.items > 0 && items > this.limits.items) throw this.exceeded('items', this.limits.items);
    if (delta.bytes > 0 && this.limits.bytes !== undefined && bytes > this.limits.bytes) throw this.exceeded('bytes', this.limits.bytes);
    await manager.query(`UPDATE ${this.table} SET items = GREATEST(0, items + ?), bytes = GREATEST(0, bytes + ?) WHERE user_id = ?`, [
      delta.items,
      delta.bytes,
      userId,
    ]);
  }

  /** The user's usage now (no lock): for an up-front check before a long write such as an import. */
  async read(manager: EntityManager, userId: string): Promise<Usage> {
    const [row]: { items: string | number; bytes: string | number }[] = await manager.query(
      `SELECT items, bytes FROM ${this.table} WHERE user_id = ?`,
      [userId],
    );
    return { items: Number(row?.items ?? 0), bytes: Number(row?.bytes ?? 0) };
  }

  /** Throws the quota error when adding `delta` to `usage` would go over a limit. */
  check(usage: Usage, delta: Usage): void {
    if (delta.items > 0 && usage.items + delta.items > this.limits.items) throw this.exceeded('items', this.limits.items);
    if (delta.bytes > 0 && this.limits.bytes !== undefined && usage.bytes + delta.bytes > this.limits.bytes)
      throw this.exceeded('bytes', this.limits.bytes);
  }

  /** Forgets the user's usage (after every row of theirs is gone). */
  async forget(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM ${this.table} WHERE user_id = ?`, [userId]);
  }
}
