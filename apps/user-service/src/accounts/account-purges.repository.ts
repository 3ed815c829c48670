import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

import { AccountPurgeEntity } from './account-purge.entity';

/** A purge job as the purger reads it. */
export interface PurgeJob {
  user_id: string;
  attempts: number;
}

/** The data access of account_purges (TypeORM query builder), the durable list of purges still to do. */
@Injectable()
export class AccountPurgesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inside the deletion's transaction: the user's notes and todos are to go (once, however often it is called). */
  async record(userId: string, manager: EntityManager): Promise<void> {
    await manager.createQueryBuilder().insert().into(AccountPurgeEntity).values({ userId }).orIgnore().updateEntity(false).execute();
  }

  /** Up to `limit` jobs whose next attempt is due, the longest waiting first. */
  due(limit: number): Promise<PurgeJob[]> {
    return this.dataSource
      .createQueryBuilder()
      .select('p.user_id', 'user_id')
      .addSelect('p.attempts', 'attempts')
      .from(AccountPurgeEntity, 'p')
      .where('p.next_attempt_at <= CURRENT_TIMESTAMP(3)')
      .orderBy('p.next_attempt_at', 'ASC')
      .limit(limit)
      .getRawMany();
  }

  /** The job is done: both services confirmed. */
  async finish(userId: string): Promise<void> {
    await this.dataSource.createQueryBuilder().delete().from(AccountPurgeEntity).where('user_id = :userId', { userId }).execute();
  }

  /** The job failed `attempts` times, the last with `lastError`: try again in `delayMs`. */
  async retryLater(userId: string, attempts: number, lastError: string, delayMs: number): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(AccountPurgeEntity)
      .set({ attempts, lastError, nextAttemptAt: () => 'CURRENT_TIMESTAMP(3) + INTERVAL :micros MICROSECOND' })
      .where('user_id = :userId', { userId, micros: delayMs * 1_000 })
      .execute();
  }
}
