import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';

import { GrpcServerMetricsInterceptor, HttpMetricsHook } from './request-metrics';

/**
 * Prometheus text format at `GET /metrics` (outside the /api prefix and auth): Node process
 * metrics, HTTP request durations by route template, and gRPC server durations/codes per method.
 */
@Module({
  imports: [PrometheusModule.register({ path: '/metrics', defaultMetrics: { enabled: true } })],
  providers: [{ provide: APP_INTERCEPTOR, useClass: GrpcServerMetricsInterceptor }, HttpMetricsHook],
  exports: [PrometheusModule],
})
export class MetricsModule {}
