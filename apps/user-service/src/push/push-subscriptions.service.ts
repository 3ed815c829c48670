import { PUSH_LIMITS } from '@micronote/contracts';
import type { userV1 } from '@micronote/proto';
import { pushEndpointProblem } from '@micronote/push';
import { DomainError, GrpcStatus } from '@micronote/server-core';
import type { Clock } from '@micronote/server-data';
import { checkUserId, CLOCK, invalidInput } from '@micronote/server-data';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import type { Env } from '../config/env.validation';
import { PushSubscriptionsRepository } from './push-subscriptions.repository';

/** base64url of exactly `bytes` bytes. */
function isKey(value: string, bytes: number, max: number): boolean {
  return value.length <= max && /^[A-Za-z0-9_-]+={0,2}$/.test(value) && Buffer.from(value, 'base64url').length === bytes;
}

export const endpointRefused = (message: string) => new DomainError('PUSH_ENDPOINT_REFUSED', message, GrpcStatus.INVALID_ARGUMENT);

/** The Web Push subscriptions of users (the gateway's /api/push/subscriptions); the PushWorker sends to them. */
@Injectable()
export class PushSubscriptionsService {
  private readonly allowPrivate: boolean;

  constructor(
    private readonly subscriptions: PushSubscriptionsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    config: ConfigService<Env, true>,
  ) {
    this.allowPrivate = config.get('PUSH_ALLOW_PRIVATE_ENDPOINTS', { infer: true }) === 'true';
  }

  async save(request: userV1.SavePushSubscriptionRequest): Promise<void> {
    const userId = checkUserId(request.userId);
    // The gateway checks the same rule; this is the owner's own check (the server POSTs there).
    const problem = pushEndpointProblem(request.endpoint, this.allowPrivate);
    if (problem) throw endpointRefused(problem);
    if (!isKey(request.p256dh, 65, PUSH_LIMITS.p256dh.max) || Buffer.from(request.p256dh, 'base64url')[0] !== 4)
      throw invalidInput('keys.p256dh must be the base64url of an uncompressed P-256 public key (65 bytes)');
    if (!isKey(request.auth, 16, PUSH_LIMITS.auth.max)) throw invalidInput('keys.auth must be the base64url of 16 bytes');
    await this.subscriptions.save(userId, request.endpoint, request.p256dh, request.auth, this.clock.now());
  }

  async delete(request: userV1.DeletePushSubscriptionRequest): Promise<void> {
    const userId = checkUserId(request.userId);
    if (!request.endpoint || request.endpoint.length > PUSH_LIMITS.endpoint.max) throw invalidInput('endpoint must be a push endpoint URL');
    await this.subscriptions.delete(userId, request.endpoint);
  }
}
