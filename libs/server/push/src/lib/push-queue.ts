import type { ReminderPushPayload } from '@micronote/contracts';
import type { RedisEnv } from '@micronote/server-core';
import { closeRedis, createQueueConnection, queuePrefix } from '@micronote/server-core';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ConnectionOptions, JobsOptions } from 'bullmq';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';

/** The BullMQ queue of Web Pushes (producer: todos-service's reminder scheduler; worker: user-service). */
export const PUSH_QUEUE = 'push';

/** The job name of a reminder's push. */
export const REMINDER_PUSH_JOB = 'reminder';

/** One reminder's push to every subscription of `userId`. */
export interface ReminderPushJob {
  userId: string;
  payload: ReminderPushPayload;
  /** Set by the worker: the subscriptions (by endpoint hash) this job has already delivered to, so a retry skips them. */
  delivered?: string[];
}

/**
 * How long a finished job (and so its id) is kept: while it is, enqueueing the same reminder again
 * is a no-op (BullMQ adds a job whose id exists as nothing). Seven days covers every retry of a
 * scheduler and a restart in between; after that the key is gone from Redis.
 */
export const PUSH_JOB_KEEP_S = 7 * 24 * 60 * 60;

/**
 * Every reminder push: 5 attempts with exponential backoff (2 s, 4 s, 8 s, 16 s) for failures of
 * the push services (a 404/410 is no failure: the subscription is dropped); completed and failed
 * jobs are kept {@link PUSH_JOB_KEEP_S} so that the job id dedupes.
 */
export const PUSH_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: PUSH_JOB_KEEP_S },
  removeOnFail: { age: PUSH_JOB_KEEP_S },
};

/**
 * A BullMQ job id from a reminder key (`reminder:<todoId>:<seq>`): BullMQ reserves `:` in custom
 * ids (it only lets through the three-part form of its legacy repeatable jobs), so `:` becomes `.`.
 */
export function pushJobId(reminderKey: string): string {
  if (!/^[A-Za-z0-9_.:-]{1,200}$/.test(reminderKey)) throw new Error('a reminder key is 1..200 of [A-Za-z0-9_.:-]');
  return reminderKey.replaceAll(':', '.');
}

/** The connection and prefix a producer or worker of {@link PUSH_QUEUE} uses. */
export function pushQueueConnection(
  env: Pick<RedisEnv, 'REDIS_URL' | 'REDIS_KEY_PREFIX'>,
  role: 'producer' | 'worker',
): { redis: Redis; connection: ConnectionOptions; prefix: string } {
  const redis = createQueueConnection(env.REDIS_URL, `push-${role}`, role);
  // BullMQ pins its own ioredis (5.11.1 next to our 5.9.2): the same client at run time, another
  // type. It takes the instance as is (it only duplicates it for a worker's blocking reads).
  return { redis, connection: redis as unknown as ConnectionOptions, prefix: queuePrefix(env.REDIS_KEY_PREFIX) };
}

/**
 * The producer of reminder pushes (a provider of the reminder scheduler's module). The queue lives
 * in Redis, so a push enqueued survives a restart of either side; the worker in user-service
 * sends it to every browser the user subscribed.
 */
@Injectable()
export class PushQueue implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly queue: Queue;

  constructor(config: ConfigService<RedisEnv, true>) {
    const { redis, connection, prefix } = pushQueueConnection(
      { REDIS_URL: config.get('REDIS_URL', { infer: true }), REDIS_KEY_PREFIX: config.get('REDIS_KEY_PREFIX', { infer: true }) },
      'producer',
    );
    this.redis = redis;
    this.queue = new Queue(PUSH_QUEUE, { connection, prefix });
  }

  /**
   * Enqueues the push of one reminder. `jobId` names the reminder (`reminder:<todoId>:<seq>`):
   * enqueueing it again within {@link PUSH_JOB_KEEP_S} (a retry, a second scheduler) does nothing.
   * Rejects while Redis is unreachable (the caller retries).
   */
  async enqueueReminderPush(userId: string, payload: ReminderPushPayload, jobId: string): Promise<void> {
    const data: ReminderPushJob = { userId, payload };
    await this.queue.add(REMINDER_PUSH_JOB, data, { ...PUSH_JOB_OPTIONS, jobId: pushJobId(jobId) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    await closeRedis(this.redis);
  }
}
