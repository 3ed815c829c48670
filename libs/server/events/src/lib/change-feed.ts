import { Injectable } from '@nestjs/common';

import type { NewEvent } from './envelope';
import { EventLog } from './event-log';
import type { CacheScope } from './keys';
import { ReadCache } from './read-cache';

/**
 * What a service does after a committed write, before it answers: make the user's cached reads
 * stale (read-your-writes) and publish the change events (realtime). Never called for a failed
 * or rejected write.
 */
@Injectable()
export class ChangeFeed {
  constructor(
    private readonly cache: ReadCache,
    private readonly events: EventLog,
  ) {}

  async changed(scope: CacheScope, userId: string, ...events: NewEvent[]): Promise<void> {
    // A client that reacts to the event must always read past the invalidation. On the one Redis
    // connection both are sent together (one round trip instead of two) and still run in this
    // order; with a cache Redis of its own (READ_CACHE_REDIS_URL), the event waits for the bump.
    if (this.cache.separate) {
      await this.cache.invalidate(scope, userId);
      await this.events.publish(...events);
    } else {
      await Promise.all([this.cache.invalidate(scope, userId), this.events.publish(...events)]);
    }
  }

  /** `changed` for several users (duplicates ignored), each hearing every change in order: see EventForUser. One pipeline for all the events. */
  async changedFor(scope: CacheScope, userIds: readonly string[], ...changes: EventForUser[]): Promise<void> {
    const users = [...new Set(userIds)];
    if (users.length === 0 || changes.length === 0) return;
    const events = users.flatMap((userId) =>
      changes.map((event) => (typeof event === 'function' ? event(userId) : ({ ...event, userId } as NewEvent))),
    );
    const invalidate = () => Promise.all(users.map((userId) => this.cache.invalidate(scope, userId)));
    if (this.cache.separate) {
      await invalidate();
      await this.events.publish(...events);
    } else {
      await Promise.all([invalidate(), this.events.publish(...events)]);
    }
  }
}

/**
 * Every user a change reaches at once (a shared note's owner and members): their cached reads are
 * made stale, then one event each is published to their own streams — the same `event` with
 * `userId` set to the recipient, or what `eventFor(userId)` makes for them (a per-recipient view).
 */
export type EventForUser = DistributiveOmit<NewEvent, 'userId'> | ((userId: string) => NewEvent);

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** `clientId` only when the write carried one (an empty proto string means none). */
export const withClient = (clientId: string | undefined) => (clientId ? { clientId } : {});
