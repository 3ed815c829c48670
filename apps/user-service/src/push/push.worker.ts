import type { AgentOptions } from 'node:https';
import { Agent } from 'node:https';

import type { ReminderPushJob } from '@micronote/push';
import { guardedLookup, PUSH_QUEUE, pushEndpointProblem, pushQueueConnection, signActionToken } from '@micronote/push';
import { closeRedis, pushDeliveries, pushJobLagSeconds, ServiceIdentity } from '@micronote/server-core';
import type { Clock } from '@micronote/server-data';
import { CLOCK } from '@micronote/server-data';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import { Worker } from 'bullmq';
import type Redis from 'ioredis';
import { sendNotification, WebPushError } from 'web-push';

import type { Env } from '../config/env.validation';
import type { StoredPushSubscription } from './push-subscriptions.repository';
import { PushSubscriptionsRepository } from './push-subscriptions.repository';

/** Extra TLS options of the sender's https.Agent (tests: the CA of a local push receiver). */
export const PUSH_TLS_OPTIONS = Symbol('PUSH_TLS_OPTIONS');

/** How long a push service keeps an undelivered reminder (the browser is offline): as long as its buttons work. */
export const PUSH_TTL_S = 24 * 60 * 60;
const SEND_TIMEOUT_MS = 10_000;
const CONCURRENCY = 8;

/** A push service's answer that means the subscription is gone for good (RFC 8030 §7.3, 404 from some services). */
const isGone = (error: unknown) => error instanceof WebPushError && (error.statusCode === 404 || error.statusCode === 410);

/**
 * Sends the reminder pushes of the PUSH_QUEUE (enqueued by todos-service) to every subscription
 * of the user, with web-push (VAPID, aes128gcm), TTL 24 h, urgency high and Topic `todo-<id>` (a
 * snoozed reminder replaces the undelivered earlier one). 404/410 drops the subscription; any
 * other failure fails the job, which BullMQ retries with backoff (PUSH_JOB_OPTIONS) — and a retry
 * sends only to the subscriptions not yet delivered (kept in the job's data), never twice.
 * Each payload carries an action token for the notification's buttons. Idle without VAPID keys.
 */
@Injectable()
export class PushWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PushWorker.name);
  private worker?: Worker<ReminderPushJob>;
  private connection?: Redis;
  private readonly agent: Agent;

  constructor(
    private readonly subscriptions: PushSubscriptionsRepository,
    private readonly identity: ServiceIdentity,
    private readonly config: ConfigService<Env, true>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(PUSH_TLS_OPTIONS) tls: AgentOptions = {},
  ) {
    const allowPrivate = config.get('PUSH_ALLOW_PRIVATE_ENDPOINTS', { infer: true }) === 'true';
    this.agent = new Agent({ keepAlive: true, maxSockets: 50, ...tls, lookup: guardedLookup(allowPrivate) });
    pushDeliveries();
    pushJobLagSeconds();
  }

  onApplicationBootstrap(): void {
    if (!this.config.get('VAPID_PRIVATE_KEY', { infer: true })) {
      this.logger.warn('VAPID keys not set: Web Push is off (reminder pushes wait in the queue)');
      return;
    }
    const { redis, connection, prefix } = pushQueueConnection(
      { REDIS_URL: this.config.get('REDIS_URL', { infer: true }), REDIS_KEY_PREFIX: this.config.get('REDIS_KEY_PREFIX', { infer: true }) },
      'worker',
    );
    this.connection = redis;
    this.worker = new Worker<ReminderPushJob>(PUSH_QUEUE, (job) => this.process(job), { connection, prefix, concurrency: CONCURRENCY });
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`push job ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`),
    );
    this.worker.on('error', (error) => this.logger.warn(`push worker: ${error.message}`));
  }

  /** Lets the jobs under way finish (BullMQ's close waits for them), then disconnects. */
  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    if (this.connection) await closeRedis(this.connection);
    this.agent.destroy();
  }

  /** One attempt of a job (public for the tests). */
  async process(job: Job<ReminderPushJob>): Promise<{ sent: number; dropped: number }> {
    if (job.attemptsMade === 0) pushJobLagSeconds().observe(Math.max(0, this.clock.now().getTime() - job.timestamp) / 1000);
    const { userId, payload } = job.data;
    const delivered = new Set(job.data.delivered ?? []);
    const body = JSON.stringify({
      ...payload,
      actionToken: signActionToken(
        this.identity,
        { sub: userId, todoId: payload.todoId, reminder: job.id ?? '' },
        this.clock.now().getTime(),
      ),
    });
    const pending = (await this.subscriptions.forUser(userId)).filter((s) => !delivered.has(s.id));
    let sent = 0;
    let dropped = 0;
    const failures: string[] = [];
    const results = await Promise.allSettled(pending.map((subscription) => this.send(subscription, body, payload.todoId)));
    for (const [i, result] of results.entries()) {
      const subscription = pending[i] as StoredPushSubscription;
      if (result.status === 'fulfilled') {
        delivered.add(subscription.id);
        if (result.value === 'sent') sent++;
        else dropped++;
      } else {
        failures.push((result.reason as Error).message);
      }
    }
    pushDeliveries().inc({ result: 'sent' }, sent);
    pushDeliveries().inc({ result: 'dropped' }, dropped);
    pushDeliveries().inc({ result: 'failed' }, failures.length);
    if (failures.length > 0) {
      // Remember who has it before failing the attempt: the retry sends to the others only.
      await job.updateData({ ...job.data, delivered: [...delivered] });
      throw new Error(`${failures.length} of ${pending.length} pushes failed: ${failures[0]}`);
    }
    return { sent, dropped };
  }

  private async send(subscription: StoredPushSubscription, body: string, todoId: string): Promise<'sent' | 'dropped'> {
    const allowPrivate = this.config.get('PUSH_ALLOW_PRIVATE_ENDPOINTS', { infer: true }) === 'true';
    if (pushEndpointProblem(subscription.endpoint, allowPrivate)) {
      await this.subscriptions.drop(subscription.id);
      return 'dropped';
    }
    try {
      await sendNotification({ endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } }, body, {
        TTL: PUSH_TTL_S,
        urgency: 'high',
        topic: `todo-${todoId}`,
        timeout: SEND_TIMEOUT_MS,
        agent: this.agent,
        contentEncoding: 'aes128gcm',
        vapidDetails: {
          subject: this.config.get('VAPID_SUBJECT', { infer: true }) ?? '',
          publicKey: this.config.get('VAPID_PUBLIC_KEY', { infer: true }) ?? '',
          privateKey: this.config.get('VAPID_PRIVATE_KEY', { infer: true }) ?? '',
        },
      });
    } catch (error) {
      if (!isGone(error)) throw error instanceof WebPushError ? new Error(`push service answered ${error.statusCode}`) : error;
      await this.subscriptions.drop(subscription.id);
      return 'dropped';
    }
    await this.subscriptions.markDelivered(subscription.id, this.clock.now());
    return 'sent';
  }
}
