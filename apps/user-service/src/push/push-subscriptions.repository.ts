import { createHash } from 'node:crypto';

import { PUSH_LIMITS } from '@micronote/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { PushSubscriptionEntity } from './push-subscription.entity';

/** What a send needs of a subscription. */
export interface StoredPushSubscription {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

export const endpointHash = (endpoint: string) => createHash('sha256').update(endpoint).digest();

/** The SQL of push_subscriptions (one row per endpoint, see the migration). */
@Injectable()
export class PushSubscriptionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Saves the endpoint for `userId` (an endpoint saved before, by anyone, is taken over with the
   * new keys and counts as new), then drops the user's oldest past PUSH_LIMITS.perUser.
   */
  async save(userId: string, endpoint: string, p256dh: string, auth: string, now: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(PushSubscriptionEntity)
        .values({ userId, endpoint, endpointHash: endpointHash(endpoint), p256dh, auth, createdAt: now, lastSuccessAt: null })
        .orUpdate(['user_id', 'p256dh', 'auth', 'created_at'], ['endpoint_hash'])
        .updateEntity(false)
        .execute();
      const surplus = await manager
        .createQueryBuilder()
        .select('s.id', 'id')
        .from(PushSubscriptionEntity, 's')
        .where('s.user_id = :userId', { userId })
        .orderBy('s.created_at', 'DESC')
        .addOrderBy('s.id', 'DESC')
        .offset(PUSH_LIMITS.perUser)
        .limit(1_000)
        .getRawMany<{ id: string }>();
      if (surplus.length > 0)
        await manager.delete(
          PushSubscriptionEntity,
          surplus.map((row) => String(row.id)),
        );
    });
  }

  /** Removes the user's subscription of `endpoint`; false when there was none. */
  async delete(userId: string, endpoint: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(PushSubscriptionEntity)
      .where('endpoint_hash = :hash AND user_id = :userId', { hash: endpointHash(endpoint), userId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Every subscription of the user, oldest first. */
  async forUser(userId: string): Promise<StoredPushSubscription[]> {
    const rows = await this.dataSource
      .createQueryBuilder()
      .select(['s.id AS id', 's.endpoint AS endpoint', 's.p256dh AS p256dh', 's.auth AS auth'])
      .from(PushSubscriptionEntity, 's')
      .where('s.user_id = :userId', { userId })
      .orderBy('s.created_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getRawMany<StoredPushSubscription>();
    return rows.map((row) => ({ ...row, id: String(row.id) }));
  }

  /** The push service said the subscription is gone (404/410). */
  async drop(id: string): Promise<void> {
    await this.dataSource.createQueryBuilder().delete().from(PushSubscriptionEntity).where('id = :id', { id }).execute();
  }

  async markDelivered(id: string, at: Date): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(PushSubscriptionEntity)
      .set({ lastSuccessAt: at })
      .where('id = :id', { id })
      .execute();
  }
}
