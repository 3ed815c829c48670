// First import of main.ts: tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) must hook http, gRPC,
// mysql2 and ioredis before anything requires them.
import { startTracing } from '@micronote/server-core/tracing';

startTracing('gateway');
