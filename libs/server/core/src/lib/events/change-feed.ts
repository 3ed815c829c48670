import { Injectable } from '@nestjs/common';

import { ReadCache } from '../cache/read-cache';
import type { NewEvent } from './event-log';
import { EventLog } from './event-log';

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

  async changed(scope: string, userId: string, ...events: NewEvent[]): Promise<void> {
    // Sent together (one round trip instead of two) but still in this order on the one Redis
    // connection, so a client that reacts to the event always reads past the invalidation.
    await Promise.all([this.cache.invalidate(scope, userId), this.events.publish(...events)]);
  }
}

/** `clientId` only when the write carried one (an empty proto string means none). */
export const withClient = (clientId: string | undefined) => (clientId ? { clientId } : {});
