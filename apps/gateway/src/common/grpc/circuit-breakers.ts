import { metric } from '@micronote/server-core';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import CircuitBreaker from 'opossum';
import { Counter, Gauge } from 'prom-client';

import type { Env } from '../../config/env.validation';
import { isInfrastructureFailure, unavailableError } from './call-policy';
import { GRPC_DEPENDENCIES } from './grpc-dependencies';

export type BreakerState = 'closed' | 'half-open' | 'open';
const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

const stateGauge = () =>
  metric(
    'micronote_circuit_breaker_state',
    () =>
      new Gauge({
        name: 'micronote_circuit_breaker_state',
        help: 'Circuit breaker per downstream service: 0 closed, 1 half-open, 2 open',
        labelNames: ['target'],
      }),
  );
const rejections = () =>
  metric(
    'micronote_circuit_breaker_rejections_total',
    () =>
      new Counter({
        name: 'micronote_circuit_breaker_rejections_total',
        help: 'Calls answered at once with 503 because the breaker of their downstream was open',
        labelNames: ['target'],
      }),
  );

type Thunk = () => Promise<unknown>;

/**
 * One circuit breaker (opossum) per downstream service. Only infrastructure failures count
 * (UNAVAILABLE, DEADLINE_EXCEEDED); answers such as NOT_FOUND or ABORTED are the service working.
 * When the failure rate of the rolling window passes BREAKER_ERROR_PERCENT (with at least
 * BREAKER_MIN_CALLS calls), the breaker opens: calls fail at once with UNAVAILABLE (→ 503) instead
 * of waiting for a deadline; after BREAKER_RESET_MS one trial call goes through (half-open) and its
 * success closes the breaker again.
 */
@Injectable()
export class CircuitBreakers {
  private readonly logger = new Logger(CircuitBreakers.name);
  private readonly breakers = new Map<string, CircuitBreaker<[Thunk], unknown>>();
  private readonly options: CircuitBreaker.Options;

  constructor(config: ConfigService<Env, true>) {
    this.options = {
      timeout: false, // every call carries its own gRPC deadline
      errorThresholdPercentage: config.get('BREAKER_ERROR_PERCENT', { infer: true }),
      volumeThreshold: config.get('BREAKER_MIN_CALLS', { infer: true }),
      resetTimeout: config.get('BREAKER_RESET_MS', { infer: true }),
      rollingCountTimeout: 10_000,
      rollingCountBuckets: 10,
      // true = "not a failure": only infrastructure failures trip the breaker.
      errorFilter: (error: unknown) => !isInfrastructureFailure(error),
    };
    // Every downstream's state is on /metrics (0 = closed) from the start, and so is the rejections counter.
    for (const dependency of GRPC_DEPENDENCIES) this.breaker(dependency.key);
    rejections();
  }

  /** Runs `call` through the breaker of `target`; rejects with UNAVAILABLE at once while it is open. */
  async run<T>(target: string, call: () => Promise<T>): Promise<T> {
    const breaker = this.breaker(target);
    try {
      return (await breaker.fire(call)) as T;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EOPENBREAKER') {
        rejections().inc({ target });
        throw unavailableError(`${target} is unavailable, try again shortly`);
      }
      throw error;
    }
  }

  /**
   * Runs `call` beside the breaker of `target`: refused at once while it is open (the downstream
   * is known to be down), but its outcome is not recorded, so it can neither open nor close it.
   * For whole-account calls, whose slowness says more about one user's data than the downstream.
   */
  async runUncounted<T>(target: string, call: () => Promise<T>): Promise<T> {
    if (this.breaker(target).opened) {
      rejections().inc({ target });
      throw unavailableError(`${target} is unavailable, try again shortly`);
    }
    return call();
  }

  state(target: string): BreakerState {
    const breaker = this.breakers.get(target);
    if (!breaker) return 'closed';
    return breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
  }

  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
  }

  private breaker(target: string) {
    let breaker = this.breakers.get(target);
    if (breaker) return breaker;
    breaker = new CircuitBreaker<[Thunk], unknown>((call: Thunk) => call(), { ...this.options, name: target });
    const report = (state: BreakerState) => () => {
      stateGauge().set({ target }, STATE_VALUE[state]);
      const log = `circuit breaker of ${target}: ${state}`;
      if (state === 'open') this.logger.warn(log);
      else this.logger.log(log);
    };
    breaker.on('open', report('open'));
    breaker.on('halfOpen', report('half-open'));
    breaker.on('close', report('closed'));
    stateGauge().set({ target }, 0);
    this.breakers.set(target, breaker);
    return breaker;
  }
}
