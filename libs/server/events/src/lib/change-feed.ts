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
}

/** `clientId` only when the write carried one (an empty proto string means none). */
export const withClient = (clientId: string | undefined) => (clientId ? { clientId } : {});
