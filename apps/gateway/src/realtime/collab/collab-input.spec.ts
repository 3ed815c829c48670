import { Metadata } from '@grpc/grpc-js';
import { COLLAB_LIMITS, CollabRefusal } from '@micronote/contracts';
import { ERROR_CODE_METADATA, GrpcStatus } from '@micronote/server-core';

import type { CollabRefused } from './collab-input';
import { awarenessClientIds, binaryRequestOf, noteIdOf, refusalOfRpcError } from './collab-input';

const grpcError = (code: number, domainCode?: string) => {
  const metadata = new Metadata();
  if (domainCode) metadata.set(ERROR_CODE_METADATA, domainCode);
  return Object.assign(new Error('x'), { code, details: 'details', metadata });
};

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as CollabRefused).code;
  }
  return 'passed';
};

describe('collab input', () => {
  it('takes a note id and binary bytes up to COLLAB_LIMITS.updateBytes', () => {
    expect(binaryRequestOf({ noteId: '42', update: Buffer.from([1, 2]) }, 'update')).toEqual({ noteId: '42', bytes: Buffer.from([1, 2]) });
    expect(binaryRequestOf({ noteId: '42' }, 'stateVector', true).bytes).toHaveLength(0);
    expect(codeOf(() => binaryRequestOf({ noteId: '42', update: new Uint8Array(COLLAB_LIMITS.updateBytes + 1) }, 'update'))).toBe(
      CollabRefusal.TooLarge,
    );
  });

  it.each([
    null,
    'x',
    [],
    { noteId: 42 },
    { noteId: '0' },
    { noteId: '1; DROP' },
    { noteId: '1', update: 'text' },
    { noteId: '1', update: [1, 2] },
    { noteId: '1', update: new Uint8Array(0) },
  ])('refuses %p as INVALID', (request) => expect(codeOf(() => binaryRequestOf(request, 'update'))).toBe(CollabRefusal.Invalid));

  it('reads a note id only from an object', () => {
    expect(noteIdOf({ noteId: '7' })).toBe('7');
    expect(codeOf(() => noteIdOf(undefined))).toBe(CollabRefusal.Invalid);
  });

  it('reads the client ids of an awareness update and refuses anything else', () => {
    // 1 client: id 300 (varUint 0xac 0x02), clock 1, state '{}'
    expect(awarenessClientIds(new Uint8Array([1, 0xac, 0x02, 1, 2, 0x7b, 0x7d]))).toEqual([300]);
    expect(awarenessClientIds(new Uint8Array([2, 5, 1, 0, 6, 1, 0]))).toEqual([5, 6]);
    expect(awarenessClientIds(new Uint8Array([1, 5, 1, 9, 0x7b]))).toBeNull(); // state shorter than its length
    expect(awarenessClientIds(new Uint8Array([1, 5, 1, 0, 99]))).toBeNull(); // trailing bytes
    expect(awarenessClientIds(new Uint8Array([0]))).toBeNull();
    expect(awarenessClientIds(new Uint8Array([200, 1]))).toBeNull();
  });

  it('maps gRPC errors to refusals', () => {
    expect(refusalOfRpcError(grpcError(GrpcStatus.NOT_FOUND, 'NOTE_NOT_FOUND')).code).toBe(CollabRefusal.NotFound);
    expect(refusalOfRpcError(grpcError(GrpcStatus.PERMISSION_DENIED, 'INSUFFICIENT_ROLE')).code).toBe(CollabRefusal.Forbidden);
    expect(refusalOfRpcError(grpcError(GrpcStatus.INVALID_ARGUMENT, 'INVALID_UPDATE')).code).toBe(CollabRefusal.Invalid);
    expect(refusalOfRpcError(grpcError(GrpcStatus.INVALID_ARGUMENT, 'NOTE_TEXT_TOO_LARGE')).code).toBe(CollabRefusal.TooLarge);
    expect(refusalOfRpcError(grpcError(GrpcStatus.RESOURCE_EXHAUSTED, 'QUOTA_EXCEEDED')).code).toBe(CollabRefusal.TooLarge);
    expect(refusalOfRpcError(grpcError(GrpcStatus.UNAVAILABLE)).code).toBe(CollabRefusal.Unavailable);
    expect(refusalOfRpcError(grpcError(GrpcStatus.DEADLINE_EXCEEDED)).code).toBe(CollabRefusal.Unavailable);
    expect(refusalOfRpcError(new Error('boom')).code).toBe(CollabRefusal.Unavailable);
    expect(refusalOfRpcError(grpcError(GrpcStatus.NOT_FOUND)).message).not.toContain('details');
  });
});
