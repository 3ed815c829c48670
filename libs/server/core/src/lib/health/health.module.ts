import type { ChannelCredentials } from '@grpc/grpc-js';
import type { DynamicModule, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Controller, Get, Inject, Injectable, Module, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { HealthIndicatorFunction, HealthIndicatorResult } from '@nestjs/terminus';
import {
  GRPCHealthIndicator,
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type Redis from 'ioredis';

import { grpcChannelCredentials, grpcTlsOf } from '../grpc/grpc-options';
import { trackReadiness } from '../metrics/component-metrics';
import { REDIS } from '../redis/redis';

export interface GrpcDependency {
  /** Name in the readiness report, e.g. `user-service`. */
  key: string;
  /** Fully-qualified service name its health service reports, e.g. `micronote.user.v1.UserService`. */
  service: string;
  /** Config key holding its address, e.g. `GRPC_USER_URL`. */
  urlKey: string;
}

export interface HealthOptions {
  mysql?: boolean;
  redis?: boolean;
  grpc?: GrpcDependency[];
}

const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

@Injectable()
class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
  ) {}

  async isHealthy(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    if (!this.redis) return indicator.down({ message: 'no Redis client' });
    try {
      await this.redis.ping();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

/**
 * `GET /health`: the process is alive. `GET /health/ready`: MySQL, Redis and the gRPC services
 * this process calls all answer (a load balancer routes traffic only to ready instances).
 */
@Controller('health')
class HealthController implements OnModuleInit, OnModuleDestroy {
  private untrack?: () => void;
  private grpcCredentials?: ChannelCredentials;

  constructor(
    private readonly health: HealthCheckService,
    private readonly redisIndicator: RedisHealthIndicator,
    private readonly grpcIndicator: GRPCHealthIndicator,
    private readonly config: ConfigService,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    @Optional() private readonly db?: TypeOrmHealthIndicator,
  ) {}

  /** micronote_ready runs the same checks at scrape time. */
  onModuleInit(): void {
    this.untrack = trackReadiness(() =>
      this.ready().then(
        () => true,
        () => false,
      ),
    );
  }

  onModuleDestroy(): void {
    this.untrack?.();
  }

  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = [];
    const db = this.db;
    if (this.options.mysql && db) checks.push(() => db.pingCheck('mysql', { timeout: 1_000 }));
    if (this.options.redis) checks.push(() => this.redisIndicator.isHealthy('redis'));
    for (const dep of this.options.grpc ?? []) {
      checks.push(() =>
        this.grpcIndicator.checkService(dep.key, dep.service, {
          url: this.config.getOrThrow<string>(dep.urlKey).split(',')[0],
          timeout: 1_000,
          credentials: (this.grpcCredentials ??= grpcChannelCredentials(grpcTlsOf(this.config))),
        }),
      );
    }
    return this.health.check(checks);
  }
}

@Module({})
export class HealthModule {
  static register(options: HealthOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false, gracefulShutdownTimeoutMs: 0 })],
      controllers: [HealthController],
      providers: [{ provide: HEALTH_OPTIONS, useValue: options }, RedisHealthIndicator],
    };
  }
}
