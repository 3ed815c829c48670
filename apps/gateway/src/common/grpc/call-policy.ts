import { status as GrpcStatus } from '@grpc/grpc-js';
import { isGrpcServiceError } from '@micronote/server-core';

/**
 * Reads that grpc-js may send again when their downstream was UNAVAILABLE (the call never reached a
 * handler, or the handler only reads), per downstream, by proto method name: the retry policy of
 * each channel's service config (see `grpcServiceConfig` in server-core and grpc.module.ts). Writes
 * are never retried here: a retried write is the client's decision, made safe by its Idempotency-Key.
 */
export const RETRYABLE_READS: Readonly<Record<string, readonly string[]>> = {
  'notes-service': ['GetNote', 'ListNotes', 'ListTags', 'GetNoteStats', 'ExportNotes', 'ListNoteShares', 'GetSharedNote'],
  'todos-service': ['GetTodo', 'ListTodos', 'GetTodoStats', 'ExportTodos'],
  'user-service': ['GetUser', 'FindUser', 'GetUsers'],
  'auth-service': ['ListSessions'],
};

/**
 * Whole-account calls (import, export, bulk actions, tag renames): one user's big document may take seconds, so they get
 * GRPC_BULK_DEADLINE_MS instead of GRPC_DEADLINE_MS, and their outcome is not evidence about the
 * downstream's health for everyone else: they never count toward its shared circuit breaker (they
 * are still refused at once while that breaker is open).
 */
export const BULK_METHODS: ReadonlySet<string> = new Set([
  'importNotes',
  'importTodos',
  'exportNotes',
  'exportTodos',
  // One change per item, each its own transaction: up to 500 notes or todos (bulk) or every note with a tag (rename).
  'bulkNotes',
  'bulkTodos',
  'renameTag',
]);

/** Failures of the infrastructure (dead or hung downstream), as opposed to answers such as NOT_FOUND. */
export function isInfrastructureFailure(error: unknown): boolean {
  if (!isGrpcServiceError(error)) return false;
  return error.code === GrpcStatus.UNAVAILABLE || error.code === GrpcStatus.DEADLINE_EXCEEDED;
}

/** A gRPC-shaped UNAVAILABLE error, which the one error mapping turns into 503 SERVICE_UNAVAILABLE. */
export function unavailableError(details: string) {
  return Object.assign(new Error(details), { code: GrpcStatus.UNAVAILABLE, details, metadata: undefined });
}
