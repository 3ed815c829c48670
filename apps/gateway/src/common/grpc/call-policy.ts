import { status as GrpcStatus } from '@grpc/grpc-js';
import { isGrpcServiceError } from '@micronote/server-core';

/**
 * Reads that may be sent again when a downstream was UNAVAILABLE (the call never reached a
 * handler, or the handler only reads). Writes are never retried here: a retried write is the
 * client's decision, made safe by its Idempotency-Key.
 */
export const RETRYABLE_READS: ReadonlySet<string> = new Set([
  'getNote',
  'listNotes',
  'listTags',
  'getNoteStats',
  'exportNotes',
  'getTodo',
  'listTodos',
  'getTodoStats',
  'exportTodos',
  'getUser',
  'listSessions',
]);

/**
 * Whole-account calls (import, export): one user's big document may take seconds, so they get
 * GRPC_BULK_DEADLINE_MS instead of GRPC_DEADLINE_MS, and their outcome is not evidence about the
 * downstream's health for everyone else: they never count toward its shared circuit breaker (they
 * are still refused at once while that breaker is open).
 */
export const BULK_METHODS: ReadonlySet<string> = new Set(['importNotes', 'importTodos', 'exportNotes', 'exportTodos']);

/** Failures of the infrastructure (dead or hung downstream), as opposed to answers such as NOT_FOUND. */
export function isInfrastructureFailure(error: unknown): boolean {
  if (!isGrpcServiceError(error)) return false;
  return error.code === GrpcStatus.UNAVAILABLE || error.code === GrpcStatus.DEADLINE_EXCEEDED;
}

export function isRetryable(method: string, error: unknown): boolean {
  return RETRYABLE_READS.has(method) && isGrpcServiceError(error) && error.code === GrpcStatus.UNAVAILABLE;
}

/** Backoff before retry `attempt` (1, 2, ...): 25 ms doubling, full jitter in its upper half, at most 200 ms. */
export function retryDelayMs(attempt: number, random = Math.random): number {
  const base = Math.min(200, 25 * 2 ** (attempt - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}

/** A gRPC-shaped UNAVAILABLE error, which the one error mapping turns into 503 SERVICE_UNAVAILABLE. */
export function unavailableError(details: string) {
  return Object.assign(new Error(details), { code: GrpcStatus.UNAVAILABLE, details, metadata: undefined });
}
