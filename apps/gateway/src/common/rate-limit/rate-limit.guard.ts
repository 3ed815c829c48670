import type { ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { isLimited, rateLimited, retryAfterHeader, routeOf } from './rate-limits';

/**
 * `@nestjs/throttler`'s guard, global (APP_GUARD), with the gateway's two rules on top: only /api
 * routes are limited (health, metrics, docs, the SPA and socket.io are not), and a 429 carries
 * `Retry-After` (the library would name it `Retry-After-<throttler>`). The 429 is the gateway's own
 * DomainError RATE_LIMITED (the edge's one error vocabulary), not the library's ThrottlerException.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return !isLimited(routeOf(context.switchToHttp().getRequest<FastifyRequest>()));
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    void context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', retryAfterHeader(detail.timeToBlockExpire));
    throw rateLimited(await this.getErrorMessage(context, detail));
  }
}
