import { compareEventIds, EVENT_ID_PATTERN } from '@micronote/contracts';
import type { RedisEnv } from '@micronote/server-core';
import { createRedisClient, realtimeRelaySeconds, REDIS } from '@micronote/server-core';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';

import type { EventEnvelope, NewEvent } from './envelope';
import { capEvent, EVENT_ENVELOPE_VERSION, parseEnvelope } from './envelope';
import { channels, eventKeys } from './keys';

/** Events kept per user for catch-up: at least the last 1,000 (XADD MAXLEN ~ keeps whole nodes). */
export const EVENTS_KEPT = 1_000;
/** Entries one XRANGE of a catch-up reads: a replay goes through the stream in batches this size. */
export const REPLAY_BATCH = 100;
/** A user's stream expires after this long without a change. */
const STREAM_TTL_SECONDS = 7 * 24 * 3600;

/** Messages between services about sessions (auth-service → gateways). */
export interface SessionsRevoked {
  kind: 'sessions_revoked';
  userId: string;
  /** The ended sessions; absent: every session of the user. */
  sessionIds?: string[];
}

export type ReplayResult = { events: EventEnvelope[]; resync: false } | { events: []; resync: true };

/**
 * Appends an event to the user's stream and announces it to every subscriber, atomically, so the
 * stream id (`<ms>-<seq>`, increasing per user) is the event id and live order is stream order.
 * KEYS: stream. ARGV: payload JSON (an object without id), channel, maxlen, ttl.
 */
const APPEND_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'e', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('PUBLISH', ARGV[2], '{"id":"' .. id .. '",' .. string.sub(ARGV[1], 2))
return id
`;

/**
 * APPEND_SCRIPT unless the event's once-key is already set (then nothing, and null): marking and
 * appending are one step, so an event is in the stream at most once per key, however often it is
 * retried. KEYS: stream, once-key. ARGV: as APPEND_SCRIPT, then the once-key's ttl.
 */
const APPEND_ONCE_SCRIPT = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[5]) then return false end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'e', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('PUBLISH', ARGV[2], '{"id":"' .. id .. '",' .. string.sub(ARGV[1], 2))
return id
`;

type RedisWithAppend = Redis & {
  appendEvent(stream: string, payload: string, channel: string, maxlen: number, ttl: number): Promise<string>;
  appendEventOnce(
    stream: string,
    onceKey: string,
    payload: string,
    channel: string,
    maxlen: number,
    ttl: number,
    onceTtl: number,
  ): Promise<string | null>;
};

/**
 * The change-event log of MicroNote, in Redis: one stream per user (`eventKeys.userStream`) for
 * catch-up, and a pub/sub channel (`channels.events`) for live delivery. Services `publish` after
 * their database commit; the gateway `watch`es a user per socket (catch-up, then live), and so do
 * the services' streaming RPCs. Session revocations travel on `channels.sessionsRevoked`.
 */
@Injectable()
export class EventLog implements OnApplicationShutdown {
  private readonly logger = new Logger(EventLog.name);
  private readonly redis: RedisWithAppend;
  private readonly eventsChannel: string;
  private readonly sessionsChannel: string;
  private subscriber?: Redis;
  /** Resolves once the subscriber listens (events published before that are only in the streams). */
  private subscribed: Promise<unknown> = Promise.resolve();
  /** Live listeners per user id. */
  private readonly watchers = new Map<string, Set<(event: EventEnvelope) => void>>();
  private readonly sessionListeners = new Set<(message: SessionsRevoked) => void>();

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly config: ConfigService<RedisEnv, true>,
  ) {
    this.redis = redis as RedisWithAppend;
    if (!('appendEvent' in redis)) redis.defineCommand('appendEvent', { numberOfKeys: 1, lua: APPEND_SCRIPT });
    if (!('appendEventOnce' in redis)) redis.defineCommand('appendEventOnce', { numberOfKeys: 2, lua: APPEND_ONCE_SCRIPT });
    const prefix = config.get('REDIS_KEY_PREFIX', { infer: true });
    this.eventsChannel = channels.events(prefix);
    this.sessionsChannel = channels.sessionsRevoked(prefix);
  }

  /**
   * Publishes events (in order) after a committed change. A Redis failure is logged, not thrown:
   * the change itself is durable, and clients that missed the event refetch on reconnect.
   */
  async publish(...events: NewEvent[]): Promise<EventEnvelope[]> {
    if (events.length === 0) return [];
    const now = new Date().toISOString();
    try {
      const pipeline = this.redis.pipeline() as unknown as RedisWithAppend & { exec(): Promise<[Error | null, unknown][] | null> };
      const envelopes = events.map(
        ({ at, ...event }) => capEvent({ v: EVENT_ENVELOPE_VERSION, ...event, at: at ?? now }) as Omit<EventEnvelope, 'id'>,
      );
      for (const envelope of envelopes) {
        pipeline.appendEvent(
          eventKeys.userStream(envelope.userId),
          JSON.stringify(envelope),
          this.eventsChannel,
          EVENTS_KEPT,
          STREAM_TTL_SECONDS,
        );
      }
      const results = (await pipeline.exec()) ?? [];
      return envelopes.map((envelope, i) => ({ ...envelope, id: String(results[i]?.[1] ?? '') }) as EventEnvelope);
    } catch (error) {
      this.logger.warn(`could not publish ${events.length} event(s): ${(error as Error).message}`);
      return [];
    }
  }

  /**
   * Publishes each event unless one with the same `key` was published before (within the week a
   * stream is kept): safe to call again after a crash between publishing and recording that it
   * was published (a reminder's scheduler does). Throws when Redis fails, so the caller retries.
   * Answers, per event, whether it was published now.
   */
  async publishOnce(...events: { key: string; event: NewEvent }[]): Promise<boolean[]> {
    if (events.length === 0) return [];
    const now = new Date().toISOString();
    const pipeline = this.redis.pipeline() as unknown as RedisWithAppend & { exec(): Promise<[Error | null, unknown][] | null> };
    for (const { key, event } of events) {
      const { at, ...rest } = event;
      const envelope = capEvent({ v: EVENT_ENVELOPE_VERSION, ...rest, at: at ?? now });
      pipeline.appendEventOnce(
        eventKeys.userStream(event.userId),
        eventKeys.once(key),
        JSON.stringify(envelope),
        this.eventsChannel,
        EVENTS_KEPT,
        STREAM_TTL_SECONDS,
        STREAM_TTL_SECONDS,
      );
    }
    const results = (await pipeline.exec()) ?? [];
    return events.map((_, i) => {
      const [error, id] = results[i] ?? [new Error('no reply')];
      if (error) throw error;
      return id !== null;
    });
  }

  /**
   * The user's events after `afterId`, oldest first; `resync` when some of them are no longer
   * kept (trimmed, or the stream expired), so the client must refetch instead. The stream is read
   * REPLAY_BATCH entries at a time; with `onBatch`, each batch is handed over as it is read (and
   * not collected), so a catch-up never holds the whole stream.
   */
  async replay(userId: string, afterId: string, onBatch?: (events: EventEnvelope[]) => void): Promise<ReplayResult> {
    if (!EVENT_ID_PATTERN.test(afterId)) return { events: [], resync: true };
    const key = eventKeys.userStream(userId);
    let info: unknown[];
    try {
      info = (await this.redis.call('XINFO', 'STREAM', this.prefixed(key))) as unknown[];
    } catch {
      // No stream: nothing happened for a week, or ever. Only "from the start" is then complete.
      return afterId === '0-0' ? { events: [], resync: false } : { events: [], resync: true };
    }
    const field = (name: string) => info[info.indexOf(name) + 1];
    const length = Number(field('length'));
    // Entries are only ever trimmed from the front: events after `afterId` may be gone when some
    // were trimmed and `afterId` is older than the oldest one kept (conservative at the boundary).
    if (Number(field('entries-added')) > length) {
      const oldestKept = String(length === 0 ? field('last-generated-id') : field('recorded-first-entry-id'));
      if (compareEventIds(afterId, oldestKept) < 0) return { events: [], resync: true };
    }
    const collected: EventEnvelope[] = [];
    for (let after = afterId; ; ) {
      const entries = (await this.redis.xrange(key, `(${after}`, '+', 'COUNT', REPLAY_BATCH)) as [string, string[]][];
      const events = entries.flatMap(([id, fields]) => parseEnvelope(fields[1], id) ?? []);
      if (onBatch) {
        if (events.length > 0) onBatch(events);
      } else collected.push(...events);
      if (entries.length < REPLAY_BATCH) break;
      after = entries[entries.length - 1][0];
    }
    return { events: collected, resync: false };
  }

  /** The id of the user's newest event ('0-0' if none). */
  async lastId(userId: string): Promise<string> {
    const [entry] = (await this.redis.xrevrange(eventKeys.userStream(userId), '+', '-', 'COUNT', 1)) as [string, string[]][];
    return entry?.[0] ?? '0-0';
  }

  /**
   * Follows one user's events: first those after `lastEventId` (or `onResync` when they are no
   * longer all kept), then live ones, in order, each once. Live events that arrive during the
   * catch-up are held back and sent after it. Call the returned function to stop.
   */
  watch(userId: string, lastEventId: string | undefined, handlers: { onEvent(event: EventEnvelope): void; onResync(): void }): () => void {
    this.ensureSubscriber();
    let lastSentId = '0-0';
    let held: EventEnvelope[] | undefined = [];
    const send = (event: EventEnvelope) => {
      if (compareEventIds(event.id, lastSentId) <= 0) return;
      lastSentId = event.id;
      handlers.onEvent(event);
    };
    const listener = (event: EventEnvelope) => (held ? held.push(event) : send(event));
    let own = this.watchers.get(userId);
    if (!own) this.watchers.set(userId, (own = new Set()));
    own.add(listener);
    let stopped = false;
    const catchUp = async () => {
      try {
        // Without a lastEventId: "from now", i.e. after the newest event at the start. Replaying
        // once the subscription is live closes the gap before it; duplicates are dropped by id.
        const after = lastEventId ?? (await this.lastId(userId));
        await this.subscribed;
        const replay = await this.replay(userId, after, (batch) => {
          if (!stopped) batch.forEach(send);
        });
        if (replay.resync) handlers.onResync();
      } catch (error) {
        this.logger.warn(`catch-up failed, asking for a resync: ${(error as Error).message}`);
        handlers.onResync();
      }
      const pending = held ?? [];
      held = undefined;
      if (!stopped) pending.forEach(send);
    };
    void catchUp();
    return () => {
      stopped = true;
      own.delete(listener);
      if (own.size === 0) this.watchers.delete(userId);
    };
  }

  /** How many live watchers this process has (sockets, streams). */
  watcherCount(): number {
    let count = 0;
    for (const own of this.watchers.values()) count += own.size;
    return count;
  }

  onSessionsRevoked(listener: (message: SessionsRevoked) => void): () => void {
    this.ensureSubscriber();
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  async publishSessionsRevoked(message: Omit<SessionsRevoked, 'kind'>): Promise<void> {
    try {
      await this.redis.publish(this.sessionsChannel, JSON.stringify({ kind: 'sessions_revoked', ...message }));
    } catch (error) {
      this.logger.warn(`could not announce revoked sessions: ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
  }

  private ensureSubscriber(): void {
    if (this.subscriber) return;
    const subscriber = createRedisClient(this.config.get('REDIS_URL', { infer: true }), { name: 'events-subscriber', blocking: true });
    subscriber.on('message', (channel: string, message: string) => {
      try {
        if (channel === this.eventsChannel) {
          const event = parseEnvelope(message);
          if (!event) return;
          const listeners = this.watchers.get(event.userId);
          if (!listeners) return;
          for (const listener of listeners) listener(event);
          // The stream id is `<Redis time in ms>-<seq>`: the delay since the append, Redis and this host sharing a clock (NTP).
          const appendedAt = Number(event.id.split('-')[0]);
          if (appendedAt > 0) realtimeRelaySeconds().observe(Math.max(0, Date.now() - appendedAt) / 1000);
        } else if (channel === this.sessionsChannel) {
          const revoked = JSON.parse(message) as SessionsRevoked;
          for (const listener of this.sessionListeners) listener(revoked);
        }
      } catch (error) {
        this.logger.warn(`bad message on ${channel}: ${(error as Error).message}`);
      }
    });
    // ioredis re-subscribes by itself after a reconnect.
    this.subscribed = subscriber
      .subscribe(this.eventsChannel, this.sessionsChannel)
      .catch((error: Error) => this.logger.warn(`subscribe failed: ${error.message}`));
    this.subscriber = subscriber;
  }

  /** `redis.call` bypasses ioredis's key prefix: add it by hand there. */
  private prefixed(key: string): string {
    return `${this.config.get('REDIS_KEY_PREFIX', { infer: true })}${key}`;
  }
}
