import { Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';

import { HttpMetricsHook } from './request-metrics';

/**
 * Prometheus text format at `GET /metrics` (outside the /api prefix and auth): Node process
 * metrics, HTTP request durations by route template, and gRPC server durations/codes per method
 * (GrpcCallInterceptor, on every gRPC controller through @GrpcEndpoint(): HTTP requests do
 * not pay for an interceptor that does nothing for them).
 */
@Module({
  imports: [PrometheusModule.register({ path: '/metrics', defaultMetrics: { enabled: true } })],
  providers: [HttpMetricsHook],
  exports: [PrometheusModule],
})
export class MetricsModule {}
