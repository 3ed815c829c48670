import { randomUUID } from 'node:crypto';

import { ErrorCode } from '@micronote/contracts';
import type { HttpErrorBody } from '@micronote/server-core';
import { DomainError, httpErrorFromGrpc, httpStatusFromGrpc, isGrpcServiceError, reasonPhrase } from '@micronote/server-core';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { withRestDetails } from '../rest/rest-error-details';

const logger = new Logger('ApiExceptionFilter');

const HTTP_CODES: Record<number, string> = {
  400: ErrorCode.ValidationFailed,
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Fastify's own errors (bad JSON, body too large, wrong media type) carry a 4xx statusCode. */
function isClientError(error: unknown): error is { statusCode: number; message: string; code?: string } {
  const e = error as { statusCode?: unknown };
  return typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500;
}

/**
 * Every error of the REST API as `{statusCode, error, message, code, requestId}` (+ `errorId` on
 * 5xx, + details such as `current` on a version conflict). gRPC statuses map through the one
 * table in server-core; nothing a client sends becomes a 500.
 *
 * One error vocabulary at the edge: the gateway's own code (guards, pipes, controllers,
 * interceptors, rate limits) throws `DomainError` only, as every service and server-core do
 * (tokenInvalid, SESSION_STORE_UNAVAILABLE): it carries the stable `code` clients key on, and its
 * gRPC status maps to HTTP through the same table as a downstream's error, so an error looks the
 * same whether the gateway or a service raised it. An HttpException would need that code
 * smuggled into its response object. HttpExceptions still arrive from the framework and libraries
 * (ValidationPipe, ParseUUIDPipe, Nest's 404 for unknown routes) and are translated below by
 * status; Fastify's own errors (bad JSON, 413, 415) likewise.
 */
export function toErrorBody(exception: unknown): HttpErrorBody {
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : ((response as { message?: string | string[] }).message ?? exception.message);
    return { statusCode, error: reasonPhrase(statusCode), message, code: HTTP_CODES[statusCode] ?? 'ERROR' };
  }
  if (exception instanceof DomainError) {
    const statusCode = httpStatusFromGrpc(exception.status);
    return { ...exception.details, statusCode, error: reasonPhrase(statusCode), message: exception.message, code: exception.code };
  }
  if (isGrpcServiceError(exception)) {
    const body = withRestDetails(httpErrorFromGrpc(exception));
    if (body.statusCode >= 500 && body.statusCode !== 503 && body.statusCode !== 504) {
      logger.error(`Downstream error ${body.code}: ${String(body.message)}`);
    }
    return body;
  }
  if (isClientError(exception)) {
    const statusCode = exception.statusCode;
    return {
      statusCode,
      error: reasonPhrase(statusCode),
      message: exception.message,
      code: HTTP_CODES[statusCode] ?? exception.code ?? 'ERROR',
    };
  }
  const errorId = randomUUID();
  logger.error(`Unexpected error ${errorId}: ${(exception as Error)?.stack ?? String(exception)}`);
  return { statusCode: 500, error: reasonPhrase(500), message: 'Internal server error', code: 'INTERNAL', errorId };
}

export function sendError(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const body: HttpErrorBody = { ...toErrorBody(exception), requestId: String(request.id) };
  if (body.statusCode === 503) void reply.header('Retry-After', '1');
  // A service's 429 (the credential lock) says how long in `retryAfter` (seconds).
  const retryAfter = body['retryAfter'];
  if (body.statusCode === 429 && typeof retryAfter === 'number') void reply.header('Retry-After', String(retryAfter));
  void reply.status(body.statusCode).send(body);
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
