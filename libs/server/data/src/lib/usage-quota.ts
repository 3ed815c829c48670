import { ErrorCode } from '@micronote/contracts';
import { DomainError, GrpcStatus } from '@micronote/server-core';
import type { DataSource, EntityManager } from 'typeorm';
import { Column, Entity, PrimaryColumn } from 'typeorm';

import { Prepared } from './prepared';

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

/** The entity of a `<table>(user_id PK, items, bytes)` usage table; list it in the service's DatabaseSpec. */

export function usageEntity(table: string) {
  @Entity({ name: table })
  class UsageEntity {
    @PrimaryColumn({ name: 'user_id', type: 'bigint', unsigned: true })
    userId!: string;

    @Column({ type: 'bigint' })
    items!: string;

    @Column({ type: 'bigint' })
    bytes!: string;
  }
  return UsageEntity;
}

type UsageEntityClass = ReturnType<typeof usageEntity>;

interface UsageRow {
  items: string | number;
  bytes: string | number;
}

/**
 * Per-user quotas kept as one counter row per user (`<table>(user_id PK, items, bytes)`), which
 * every write changes inside its own transaction. `add` locks the user's row first (creating it
 * on the user's first write), so two parallel writes at the limit are serialized and the second
 * sees the first's count: they cannot both pass. Lock order everywhere: the data rows, then the
 * usage row (a write finds or inserts its rows before it calls `add`).
 */
export class UsageQuota {
  private readonly ensureRow: Prepared;
  private readonly lockRow: Prepared;
  private readonly readRow: Prepared;
  private readonly change: Prepared;
  private readonly forgetRow: Prepared;

  constructor(
    dataSource: DataSource,
    entity: UsageEntityClass,
    private readonly limits: UsageLimits,
    private readonly exceeded: (which: 'items' | 'bytes', limit: number) => Error,
  ) {
    const builder = () => dataSource.createQueryBuilder();
    // ON DUPLICATE KEY UPDATE takes the row's exclusive lock at once (INSERT IGNORE would take a
    // shared one, and two of those upgrading to exclusive deadlock).
    this.ensureRow = new Prepared(
      builder()
        .insert()
        .into(entity)
        .values({ userId: () => ':userId', items: () => '0', bytes: () => '0' })
        .orUpdate(['user_id'], ['user_id']),
    );
    const select = () => builder().select('u.items', 'items').addSelect('u.bytes', 'bytes').from(entity, 'u').where('u.user_id = :userId');
    this.lockRow = new Prepared(select().setLock('pessimistic_write'));
    this.readRow = new Prepared(select());
    this.change = new Prepared(
      builder()
        .update(entity)
        .set({ items: () => 'GREATEST(0, items + :items)', bytes: () => 'GREATEST(0, bytes + :bytes)' })
        .where('user_id = :userId'),
    );
    this.forgetRow = new Prepared(builder().delete().from(entity).where('user_id = :userId'));
  }

  /**
   * Inside the caller's transaction: adds `delta` to the user's usage, or throws the quota error
   * (the caller's transaction then rolls back) when a positive delta would go over a limit.
   * A delta that only shrinks usage always passes.
   */
  async add(userId: string, delta: Usage, manager: EntityManager): Promise<void> {
    if (delta.items === 0 && delta.bytes === 0) return;
    if (delta.items > 0 || delta.bytes > 0) {
      await this.ensureRow.run(manager, { userId });
      const [row] = await this.lockRow.run<UsageRow[]>(manager, { userId });
      this.check(toUsage(row), delta);
    }
    await this.change.run(manager, { userId, items: delta.items, bytes: delta.bytes });
  }

  /** The user's usage now (no lock): for an up-front check before a long write such as an import. */
  async read(userId: string, manager: EntityManager): Promise<Usage> {
    const [row] = await this.readRow.run<UsageRow[]>(manager, { userId });
    return toUsage(row);
  }

  /** Throws the quota error when adding `delta` to `usage` would go over a limit. */
  check(usage: Usage, delta: Usage): void {
    if (delta.items > 0 && usage.items + delta.items > this.limits.items) throw this.exceeded('items', this.limits.items);
    if (delta.bytes > 0 && this.limits.bytes !== undefined && usage.bytes + delta.bytes > this.limits.bytes)
      throw this.exceeded('bytes', this.limits.bytes);
  }

  /** Forgets the user's usage (after every row of theirs is gone). */
  async forget(userId: string, manager: EntityManager): Promise<void> {
    await this.forgetRow.run(manager, { userId });
  }
}

function toUsage(row: UsageRow | undefined): Usage {
  return { items: Number(row?.items ?? 0), bytes: Number(row?.bytes ?? 0) };
}
