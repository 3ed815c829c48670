import { Counter, Gauge, Histogram } from 'prom-client';

import { metric } from './request-metrics';

/** Relay delays of realtime events: 0.5 ms … 2.5 s. */
const RELAY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Read-cache look-ups by outcome: `hit`, `miss`, or `skip` (Redis unreachable: the read went to the database). */
export const cacheRequests = () =>
  metric(
    'micronote_cache_requests_total',
    () =>
      new Counter({
        name: 'micronote_cache_requests_total',
        help: 'Read-cache look-ups by scope and result (hit, miss, skip)',
        labelNames: ['scope', 'result'],
      }),
  );

export const wsConnections = () =>
  metric(
    'micronote_ws_connections',
    () => new Gauge({ name: 'micronote_ws_connections', help: 'Open authenticated WebSocket connections' }),
  );

export const wsEventsRelayed = () =>
  metric(
    'micronote_ws_events_relayed_total',
    () =>
      new Counter({
        name: 'micronote_ws_events_relayed_total',
        help: 'Change events sent to sockets (one per socket), by event type',
        labelNames: ['type'],
      }),
  );

/** From the event's append in Redis (its stream id is the Redis time in ms) to its hand-over to this process's watchers. */
export const realtimeRelaySeconds = () =>
  metric(
    'micronote_realtime_relay_seconds',
    () =>
      new Histogram({
        name: 'micronote_realtime_relay_seconds',
        help: 'Time from a change event appended in Redis to its delivery to the live watchers (sockets) of this process',
        buckets: RELAY_BUCKETS,
      }),
  );

type PoolProbe = () => { total: number; idle: number; waiting: number; limit: number } | undefined;
let poolProbe: PoolProbe | undefined;

/**
 * `micronote_db_pool_connections{state}`: open (`total`), `idle` and `busy` connections of the
 * process's MySQL pool, requests `waiting` for one, and the pool's `limit`; read at scrape time.
 */
export function trackDbPool(probe: PoolProbe): () => void {
  poolProbe = probe;
  metric(
    'micronote_db_pool_connections',
    () =>
      new Gauge({
        name: 'micronote_db_pool_connections',
        help: 'MySQL connection pool: open (total), idle, busy connections, requests waiting for one, and the limit',
        labelNames: ['state'],
        collect() {
          this.reset();
          const pool = poolProbe?.();
          if (!pool) return;
          this.set({ state: 'total' }, pool.total);
          this.set({ state: 'idle' }, pool.idle);
          this.set({ state: 'busy' }, pool.total - pool.idle);
          this.set({ state: 'waiting' }, pool.waiting);
          this.set({ state: 'limit' }, pool.limit);
        },
      }),
  );
  return () => {
    if (poolProbe === probe) poolProbe = undefined;
  };
}

type ReadinessProbe = () => Promise<boolean>;
let readinessProbe: ReadinessProbe | undefined;

/** `micronote_ready`: 1 when the process's readiness check (`GET /health/ready`) passes at scrape time, else 0. */
export function trackReadiness(probe: ReadinessProbe): () => void {
  readinessProbe = probe;
  metric(
    'micronote_ready',
    () =>
      new Gauge({
        name: 'micronote_ready',
        help: '1 when this process is ready (its /health/ready check passes: MySQL, Redis, downstream gRPC services), else 0',
        async collect() {
          this.set((await readinessProbe?.().catch(() => false)) ? 1 : 0);
        },
      }),
  );
  return () => {
    if (readinessProbe === probe) readinessProbe = undefined;
  };
}

/** Web Pushes by outcome: `sent` (accepted by the push service), `failed` (retried), `dropped` (404/410: the subscription is removed). */
export const pushDeliveries = () =>
  metric(
    'micronote_push_deliveries_total',
    () =>
      new Counter({
        name: 'micronote_push_deliveries_total',
        help: 'Web Push deliveries to one subscription, by result (sent, failed, dropped)',
        labelNames: ['result'],
      }),
  );

/** From a push job's enqueue to the start of its first attempt. */
export const pushJobLagSeconds = () =>
  metric(
    'micronote_push_job_lag_seconds',
    () =>
      new Histogram({
        name: 'micronote_push_job_lag_seconds',
        help: 'Seconds from enqueueing a push job to its first attempt',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      }),
  );
