import { jwtModule } from '@micronote/auth-session';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';

import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitStorage } from './rate-limit-storage';
import { rateLimitOptions } from './rate-limits';

/** The storage and the JwtService (per-user keys) that the throttler options are built from. */
@Module({ imports: [jwtModule], providers: [RateLimitStorage], exports: [RateLimitStorage, jwtModule] })
export class RateLimitStorageModule {}

/**
 * The gateway's rate limits: `@nestjs/throttler` (global, exports its storage under
 * `getStorageToken()` for the unrouted-request hook and the socket.io handshake) on the shared
 * Redis, and its guard on every route.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [ConfigService, RateLimitStorage, JwtService],
      useFactory: rateLimitOptions,
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitModule {}
