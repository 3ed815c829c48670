import type { ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { isLimited, retryAfterHeader, routeOf } from './rate-limits';

/**
 * `@nestjs/throttler`'s guard, global (APP_GUARD), with the gateway's two rules on top: only /api
 * routes are limited (health, metrics, docs, the SPA and socket.io are not), and a 429 carries
 * `Retry-After` (the library would name it `Retry-After-<throttler>`). The 429 itself is the
 * library's ThrottlerException, an HttpException the ApiExceptionFilter answers as RATE_LIMITED.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return !isLimited(routeOf(context.switchToHttp().getRequest<FastifyRequest>()));
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    void context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', retryAfterHeader(detail.timeToBlockExpire));
    return super.throwThrottlingException(context, detail);
  }
}
