import type { AccessRole, CollabAck } from '@micronote/contracts';
import { COLLAB_LIMITS, CollabRefusal, ID_PATTERN } from '@micronote/contracts';
import { ERROR_CODE_METADATA, GrpcStatus, isGrpcServiceError } from '@micronote/server-core';

/** A refusal as the ack carries it. */
export function refusal(code: CollabRefusal, message: string): CollabAck {
  return { ok: false, code, message };
}

/** Thrown inside a handler to answer the ack with a refusal (never reaches socket.io). */
export class CollabRefused extends Error {
  constructor(
    readonly code: CollabRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** Bytes as socket.io hands them over (a Buffer in Node, an ArrayBuffer from some clients), or null. */
export function bytesOf(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return null;
}

function objectOf(request: unknown): Record<string, unknown> {
  if (typeof request !== 'object' || request === null || Array.isArray(request))
    throw new CollabRefused(CollabRefusal.Invalid, 'the request must be an object');
  return request as Record<string, unknown>;
}

export function noteIdOf(request: unknown): string {
  const noteId = objectOf(request)['noteId'];
  if (typeof noteId !== 'string' || !ID_PATTERN.test(noteId))
    throw new CollabRefused(CollabRefusal.Invalid, 'noteId must be a positive integer id');
  return noteId;
}

/**
 * `{noteId, <field>: Uint8Array}` checked: a note id and binary bytes of at most
 * COLLAB_LIMITS.updateBytes (larger: TOO_LARGE). `allowEmpty` for a state vector (an empty
 * document's).
 */
export function binaryRequestOf(
  request: unknown,
  field: 'update' | 'stateVector',
  allowEmpty = false,
): { noteId: string; bytes: Uint8Array } {
  const noteId = noteIdOf(request);
  const raw = objectOf(request)[field];
  const bytes = raw === undefined && allowEmpty ? new Uint8Array(0) : bytesOf(raw);
  if (!bytes) throw new CollabRefused(CollabRefusal.Invalid, `${field} must be binary (a Uint8Array)`);
  if (bytes.length === 0 && !allowEmpty) throw new CollabRefused(CollabRefusal.Invalid, `${field} is empty`);
  if (bytes.length > COLLAB_LIMITS.updateBytes) {
    throw new CollabRefused(CollabRefusal.TooLarge, `${field} is ${bytes.length} bytes, over ${COLLAB_LIMITS.updateBytes}`);
  }
  return { noteId, bytes };
}

/** Most awareness client ids one socket may announce in one note (a tab has one; a few for tab restores). */
export const MAX_AWARENESS_CLIENTS = 8;

/**
 * The client ids of a y-protocols awareness update (varUint count, then per client varUint
 * clientID, varUint clock, varString state JSON), or null when the bytes are not one. Only the
 * structure is read: the states stay opaque and are relayed as they came.
 */
export function awarenessClientIds(bytes: Uint8Array): number[] | null {
  let at = 0;
  const varUint = (): number | null => {
    let value = 0;
    let multiplier = 1;
    for (let i = 0; i < 8; i++) {
      if (at >= bytes.length) return null;
      const byte = bytes[at++];
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 128;
    }
    return null;
  };
  const count = varUint();
  if (count === null || count === 0 || count > MAX_AWARENESS_CLIENTS) return null;
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = varUint();
    const clock = varUint();
    const length = varUint();
    if (clientId === null || clientId > 0xffffffff || clock === null || length === null || at + length > bytes.length) return null;
    at += length;
    ids.push(clientId);
  }
  return at === bytes.length ? ids : null;
}

export function isAccessRole(role: string): role is AccessRole {
  return role === 'owner' || role === 'editor' || role === 'viewer';
}

/** The refusal of a failed JoinNoteSession/ApplyNoteUpdate call (a gRPC error, or an open circuit breaker's). */
export function refusalOfRpcError(error: unknown): CollabRefused {
  if (error instanceof CollabRefused) return error;
  if (!isGrpcServiceError(error))
    return new CollabRefused(CollabRefusal.Unavailable, 'live collaboration is unavailable, join again shortly');
  const domainCode = String(error.metadata?.get(ERROR_CODE_METADATA)?.[0] ?? '');
  const message = error.details || domainCode || GrpcStatus[error.code] || 'refused';
  switch (error.code) {
    case GrpcStatus.NOT_FOUND:
      return new CollabRefused(CollabRefusal.NotFound, 'no such note, or not shared with you');
    case GrpcStatus.PERMISSION_DENIED:
      return new CollabRefused(CollabRefusal.Forbidden, message);
    case GrpcStatus.INVALID_ARGUMENT:
    case GrpcStatus.FAILED_PRECONDITION:
    case GrpcStatus.OUT_OF_RANGE:
      return new CollabRefused(/TOO_(LARGE|LONG)|LIMIT/.test(domainCode) ? CollabRefusal.TooLarge : CollabRefusal.Invalid, message);
    case GrpcStatus.RESOURCE_EXHAUSTED:
      // The owner's quota or the note's text limit.
      return new CollabRefused(CollabRefusal.TooLarge, message);
    default:
      return new CollabRefused(CollabRefusal.Unavailable, 'live collaboration is unavailable, join again shortly');
  }
}
