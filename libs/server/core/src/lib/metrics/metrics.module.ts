import { Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';

/** Prometheus text format at `GET /metrics` (outside the /api prefix and auth), with Node process metrics. */
@Module({
  imports: [PrometheusModule.register({ path: '/metrics', defaultMetrics: { enabled: true } })],
  exports: [PrometheusModule],
})
export class MetricsModule {}
