import { status as GrpcStatus } from '@grpc/grpc-js';

import { ERROR_CODE_METADATA, ERROR_DETAILS_METADATA } from './domain-error';

/** gRPC status → HTTP status, the grpc-gateway table. */
export function httpStatusFromGrpc(code: GrpcStatus): number {
  switch (code) {
    case GrpcStatus.OK:
      return 200;
    case GrpcStatus.INVALID_ARGUMENT:
    case GrpcStatus.FAILED_PRECONDITION:
    case GrpcStatus.OUT_OF_RANGE:
      return 400;
    case GrpcStatus.UNAUTHENTICATED:
      return 401;
    case GrpcStatus.PERMISSION_DENIED:
      return 403;
    case GrpcStatus.NOT_FOUND:
      return 404;
    case GrpcStatus.ALREADY_EXISTS:
    case GrpcStatus.ABORTED:
      return 409;
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return 429;
    case GrpcStatus.CANCELLED:
      return 499;
    case GrpcStatus.UNIMPLEMENTED:
      return 501;
    // The API answers 503 whenever a backing service is down or hung (spec: "503 a backing service
    // is down (fast, not after a hang)"); it has no 504, unlike the grpc-gateway table.
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.DEADLINE_EXCEEDED:
      return 503;
    default:
      return 500;
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  499: 'Client Closed Request',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : 'Error');
}

/** The one error body of the REST API. */
export interface HttpErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  code: string;
  requestId?: string;
  errorId?: string;
  [extra: string]: unknown;
}

export interface GrpcServiceErrorLike {
  code: number;
  details?: string;
  metadata?: { get(key: string): unknown[] };
}

export function isGrpcServiceError(error: unknown): error is GrpcServiceErrorLike {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Record<string, unknown>;
  return typeof e['code'] === 'number' && GrpcStatus[e['code']] !== undefined && ('details' in e || 'metadata' in e);
}

/** Turns a gRPC client error into the REST error body (status, stable code and details such as `current`). */
export function httpErrorFromGrpc(error: GrpcServiceErrorLike): HttpErrorBody {
  const statusCode = httpStatusFromGrpc(error.code);
  const domainCode = error.metadata?.get(ERROR_CODE_METADATA)?.[0];
  const infrastructure = error.code === GrpcStatus.UNAVAILABLE || error.code === GrpcStatus.DEADLINE_EXCEEDED;
  const code = String(domainCode ?? (infrastructure ? 'SERVICE_UNAVAILABLE' : (GrpcStatus[error.code] ?? 'ERROR')));
  let extra: Record<string, unknown> = {};
  const rawDetails = error.metadata?.get(ERROR_DETAILS_METADATA)?.[0];
  if (typeof rawDetails === 'string') {
    try {
      extra = JSON.parse(rawDetails) as Record<string, unknown>;
    } catch {
      extra = {};
    }
  }
  let message = error.details || reasonPhrase(statusCode);
  if (error.code === GrpcStatus.UNAVAILABLE && domainCode === undefined && !error.details?.endsWith('try again shortly')) {
    message = 'A backing service is unavailable, try again shortly';
  }
  if (error.code === GrpcStatus.DEADLINE_EXCEEDED) message = 'A backing service did not answer in time';
  return { ...extra, statusCode, error: reasonPhrase(statusCode), message, code };
}
