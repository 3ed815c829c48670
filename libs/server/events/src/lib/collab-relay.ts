import type { RedisEnv } from '@micronote/server-core';
import { createRedisClient } from '@micronote/server-core';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';

import { channels } from './keys';

/**
 * One message on a note's live-collaboration channel. `origin` names the sender (the gateway's
 * socket id, or '' for the service's own REST text writes) so its gateway skips that socket.
 */
export type CollabRelayMessage =
  /** A stored Yjs update with its seq (published by notes-service after commit). */
  | { kind: 'update'; seq: number; update: Uint8Array; origin: string }
  /** A y-protocols awareness update (presence, cursors): relayed, never stored. */
  | { kind: 'awareness'; update: Uint8Array; origin: string }
  /** A socket left the note: its awareness client ids go. */
  | { kind: 'left'; clientIds: number[]; origin: string };

const KIND_TAGS = { update: 1, awareness: 2, left: 3 } as const;

/**
 * The binary wire form: tag byte, origin length (uint16 BE) + origin UTF-8, then for `update` the
 * seq (uint32 BE) and the update's bytes, for `awareness` the update's bytes, for `left` the
 * client ids (uint32 BE each; Yjs client ids are uint32).
 */
export function encodeCollabMessage(message: CollabRelayMessage): Buffer {
  const origin = Buffer.from(message.origin, 'utf8');
  if (origin.length > 0xffff) throw new RangeError('collab relay origin over 65,535 bytes');
  const head = Buffer.alloc(3);
  head.writeUInt8(KIND_TAGS[message.kind], 0);
  head.writeUInt16BE(origin.length, 1);
  switch (message.kind) {
    case 'update': {
      const seq = Buffer.alloc(4);
      seq.writeUInt32BE(message.seq, 0);
      return Buffer.concat([head, origin, seq, message.update]);
    }
    case 'awareness':
      return Buffer.concat([head, origin, message.update]);
    case 'left': {
      const ids = Buffer.alloc(4 * message.clientIds.length);
      message.clientIds.forEach((id, index) => ids.writeUInt32BE(id, 4 * index));
      return Buffer.concat([head, origin, ids]);
    }
  }
}

/** The message, or null when the bytes are not one (a foreign publisher, a newer format). */
export function decodeCollabMessage(bytes: Buffer): CollabRelayMessage | null {
  if (bytes.length < 3) return null;
  const tag = bytes.readUInt8(0);
  const originEnd = 3 + bytes.readUInt16BE(1);
  if (bytes.length < originEnd) return null;
  const origin = bytes.toString('utf8', 3, originEnd);
  // A copy: the handler may keep it, and Buffer slices share the (pooled) socket buffer.
  const rest = (from: number) => new Uint8Array(bytes.subarray(from));
  switch (tag) {
    case KIND_TAGS.update:
      if (bytes.length < originEnd + 4) return null;
      return { kind: 'update', seq: bytes.readUInt32BE(originEnd), update: rest(originEnd + 4), origin };
    case KIND_TAGS.awareness:
      return { kind: 'awareness', update: rest(originEnd), origin };
    case KIND_TAGS.left: {
      if ((bytes.length - originEnd) % 4 !== 0) return null;
      const clientIds: number[] = [];
      for (let at = originEnd; at < bytes.length; at += 4) clientIds.push(bytes.readUInt32BE(at));
      return { kind: 'left', clientIds, origin };
    }
    default:
      return null;
  }
}

export type CollabRelayHandler = (message: CollabRelayMessage) => void;

/**
 * The live-collaboration relay between notes-service and the gateways: one Redis pub/sub channel
 * per note (`channels.collab`), binary messages ({@link encodeCollabMessage}). It has its own
 * publisher and subscriber connections (made on first use), so Yjs traffic never queues behind
 * the event log's commands. `subscribe` listens to a note's channel once per process however many
 * handlers there are.
 */
@Injectable()
export class CollabRelay implements OnApplicationShutdown {
  private readonly logger = new Logger(CollabRelay.name);
  private readonly prefix: string;
  private publisher?: Redis;
  private subscriber?: Redis;
  /** Handlers per channel name. */
  private readonly handlers = new Map<string, Set<CollabRelayHandler>>();

  constructor(private readonly config: ConfigService<RedisEnv, true>) {
    this.prefix = config.get('REDIS_KEY_PREFIX', { infer: true });
  }

  /**
   * Publishes to the note's channel. A Redis failure is logged and answered false, never thrown:
   * clients that miss a message see a gap in `seq` and join again.
   */
  async publish(noteId: string, message: CollabRelayMessage): Promise<boolean> {
    this.publisher ??= createRedisClient(this.redisUrl(), { name: 'collab-publisher' });
    try {
      await this.publisher.publish(channels.collab(this.prefix, noteId), encodeCollabMessage(message));
      return true;
    } catch (error) {
      this.logger.warn(`could not relay a ${message.kind} of note ${noteId}: ${(error as Error).message}`);
      return false;
    }
  }

  /** Calls `handler` with every message on the note's channel until the returned function is called. */
  subscribe(noteId: string, handler: CollabRelayHandler): () => void {
    const subscriber = this.ensureSubscriber();
    const channel = channels.collab(this.prefix, noteId);
    let own = this.handlers.get(channel);
    if (!own) {
      own = new Set();
      this.handlers.set(channel, own);
      // ioredis re-subscribes by itself after a reconnect.
      subscriber.subscribe(channel).catch((error: Error) => this.logger.warn(`subscribe to ${channel} failed: ${error.message}`));
    }
    const listeners = own;
    listeners.add(handler);
    return () => {
      if (!listeners.delete(handler) || listeners.size > 0 || this.handlers.get(channel) !== listeners) return;
      this.handlers.delete(channel);
      subscriber.unsubscribe(channel).catch((error: Error) => this.logger.warn(`unsubscribe from ${channel} failed: ${error.message}`));
    };
  }

  /** Notes this process listens to. */
  subscribedCount(): number {
    return this.handlers.size;
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
    if (this.publisher?.status === 'ready') await this.publisher.quit().catch(() => this.publisher?.disconnect());
    else this.publisher?.disconnect();
  }

  private ensureSubscriber(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = createRedisClient(this.redisUrl(), { name: 'collab-subscriber', blocking: true });
    subscriber.on('messageBuffer', (channel: Buffer, bytes: Buffer) => {
      const listeners = this.handlers.get(channel.toString());
      if (!listeners) return;
      const message = decodeCollabMessage(bytes);
      if (!message) {
        this.logger.warn(`bad message on ${channel.toString()} (${bytes.length} bytes)`);
        return;
      }
      for (const listener of listeners) {
        try {
          listener(message);
        } catch (error) {
          this.logger.warn(`collab handler failed on ${channel.toString()}: ${(error as Error).message}`);
        }
      }
    });
    this.subscriber = subscriber;
    return subscriber;
  }

  private redisUrl(): string {
    return this.config.get('REDIS_URL', { infer: true });
  }
}
