import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';

import { DomainError, ERROR_CODE_METADATA, ERROR_DETAILS_METADATA } from './domain-error';
import { asciiJson, toGrpcError } from './grpc-exception.filter';
import { httpErrorFromGrpc, httpStatusFromGrpc, isGrpcServiceError } from './http-errors';

describe('httpStatusFromGrpc', () => {
  it.each([
    [GrpcStatus.INVALID_ARGUMENT, 400],
    [GrpcStatus.FAILED_PRECONDITION, 400],
    [GrpcStatus.OUT_OF_RANGE, 400],
    [GrpcStatus.UNAUTHENTICATED, 401],
    [GrpcStatus.PERMISSION_DENIED, 403],
    [GrpcStatus.NOT_FOUND, 404],
    [GrpcStatus.ALREADY_EXISTS, 409],
    [GrpcStatus.ABORTED, 409],
    [GrpcStatus.RESOURCE_EXHAUSTED, 429],
    [GrpcStatus.UNIMPLEMENTED, 501],
    [GrpcStatus.UNAVAILABLE, 503],
    [GrpcStatus.DEADLINE_EXCEEDED, 503],
    [GrpcStatus.INTERNAL, 500],
    [GrpcStatus.UNKNOWN, 500],
  ])('maps gRPC %s to HTTP %s', (code, http) => {
    expect(httpStatusFromGrpc(code)).toBe(http);
  });
});

describe(httpErrorFromGrpc.name, () => {
  it('carries details with any text across the metadata (non-ASCII as JSON escapes)', () => {
    const current = { id: '1', text: 'café ✓ 😀 \u007f\n"quoted"', version: 3 };
    expect(asciiJson(current)).toMatch(/^[ -~]*$/);
    const sent = toGrpcError(new DomainError('NOTE_VERSION_CONFLICT', 'changed', GrpcStatus.ABORTED, { current }), new Logger('test'));
    expect(httpErrorFromGrpc(sent)).toMatchObject({ statusCode: 409, code: 'NOTE_VERSION_CONFLICT', current });
  });

  it('carries the domain code and details from the metadata', () => {
    const metadata = new Metadata();
    metadata.set(ERROR_CODE_METADATA, 'NOTE_VERSION_CONFLICT');
    metadata.set(ERROR_DETAILS_METADATA, JSON.stringify({ current: { id: '1', version: 3 } }));
    const body = httpErrorFromGrpc({ code: GrpcStatus.ABORTED, details: 'Note was changed', metadata });
    expect(body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'Note was changed',
      code: 'NOTE_VERSION_CONFLICT',
      current: { id: '1', version: 3 },
    });
  });

  it('hides transport details of an unreachable service behind a clear 503', () => {
    const body = httpErrorFromGrpc({
      code: GrpcStatus.UNAVAILABLE,
      details: 'No connection established. connect ECONNREFUSED',
      metadata: new Metadata(),
    });
    expect(body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: expect.not.stringContaining('ECONNREFUSED') });
  });

  it('ignores malformed details', () => {
    const metadata = new Metadata();
    metadata.set(ERROR_DETAILS_METADATA, '{not json');
    expect(httpErrorFromGrpc({ code: GrpcStatus.NOT_FOUND, details: 'gone', metadata }).statusCode).toBe(404);
  });
});

describe(isGrpcServiceError.name, () => {
  it('tells gRPC errors from other errors', () => {
    expect(isGrpcServiceError({ code: GrpcStatus.NOT_FOUND, details: 'x', metadata: new Metadata() })).toBe(true);
    expect(isGrpcServiceError({ code: 99, details: 'x' })).toBe(false);
    expect(isGrpcServiceError({ code: 'ER_DUP_ENTRY', message: 'dup' })).toBe(false);
    expect(isGrpcServiceError(new Error('plain'))).toBe(false);
    expect(isGrpcServiceError(null)).toBe(false);
  });
});
