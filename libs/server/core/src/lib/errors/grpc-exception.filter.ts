import { randomUUID } from 'node:crypto';

import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { RpcExceptionFilter } from '@nestjs/common';
import { Catch, Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import type { Observable } from 'rxjs';
import { throwError } from 'rxjs';

import { DomainError, ERROR_CODE_METADATA, ERROR_DETAILS_METADATA } from './domain-error';
import { isGrpcServiceError } from './http-errors';

export interface GrpcErrorLike {
  code: GrpcStatus;
  details: string;
  message: string;
  metadata: Metadata;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
]);

function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; driverError?: { code?: unknown }; name?: string; message?: string };
  if (typeof e.driverError?.code === 'string') return e.driverError.code;
  if (typeof e.code === 'string') return e.code;
  if (e.name === 'MaxRetriesPerRequestError') return 'ECONNREFUSED';
  if (typeof e.message === 'string' && /Connection is closed|Stream isn't writeable|Pool is closed|Command timed out/.test(e.message)) {
    return 'ECONNREFUSED';
  }
  return undefined;
}

/**
 * JSON in printable ASCII, as a (non-binary) metadata value must be: every character past `~` is
 * written as its `\uXXXX` escape, which JSON.parse reads back as the same string. Without it a
 * detail carrying a note with an `é` in it could not be sent at all.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function grpcError(code: GrpcStatus, message: string, errorCode: string, details?: Record<string, unknown>): GrpcErrorLike {
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_METADATA, errorCode);
  if (details) metadata.set(ERROR_DETAILS_METADATA, asciiJson(details));
  return { code, details: message, message, metadata };
}

/**
 * The one gRPC exception filter of every service: a DomainError travels with its status, code
 * and details; a lost database or Redis connection is UNAVAILABLE (the gateway answers 503);
 * anything else is INTERNAL with an errorId that is logged here and nowhere leaks a stack.
 */
@Catch()
export class GrpcExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('GrpcExceptionFilter');

  catch(exception: unknown): Observable<never> {
    return throwError(() => toGrpcError(exception, this.logger));
  }
}

export function toGrpcError(exception: unknown, logger: Logger): GrpcErrorLike {
  if (exception instanceof DomainError) {
    return grpcError(exception.status, exception.message, exception.code, exception.details);
  }
  if (isGrpcServiceError(exception)) {
    // A downstream service's error (auth-service calling user-service): pass it on unchanged.
    const e = exception as GrpcErrorLike;
    return { code: e.code, details: e.details ?? '', message: e.details ?? '', metadata: e.metadata ?? new Metadata() };
  }
  if (exception instanceof RpcException) {
    const inner = exception.getError();
    if (typeof inner === 'object' && inner !== null && 'code' in inner) {
      const { code, message } = inner as { code: GrpcStatus; message?: string };
      return grpcError(code, message ?? 'Error', GrpcStatus[code] ?? 'ERROR');
    }
    return grpcError(GrpcStatus.UNKNOWN, String(inner), 'ERROR');
  }
  const code = errorCodeOf(exception);
  if (code && UNAVAILABLE_CODES.has(code)) {
    logger.warn(`Backing store unavailable: ${code}`);
    return grpcError(GrpcStatus.UNAVAILABLE, 'A backing service is unavailable, try again shortly', 'SERVICE_UNAVAILABLE');
  }
  const errorId = randomUUID();
  logger.error(`Unexpected error ${errorId}: ${(exception as Error)?.stack ?? String(exception)}`);
  return grpcError(GrpcStatus.INTERNAL, `Internal error (errorId ${errorId})`, 'INTERNAL', { errorId });
}
