import { COLLAB_LIMITS, NOTE_LIMITS } from '@micronote/contracts';
import { DomainError, GrpcStatus } from '@micronote/server-core';

export const CollabErrors = {
  invalidUpdate: (why = 'update is not a Yjs update') => new DomainError('COLLAB_INVALID', why, GrpcStatus.INVALID_ARGUMENT),
  invalidStateVector: () => new DomainError('COLLAB_INVALID', 'stateVector is not a Yjs state vector', GrpcStatus.INVALID_ARGUMENT),
  updateTooLarge: () =>
    new DomainError('COLLAB_TOO_LARGE', `One update may have at most ${COLLAB_LIMITS.updateBytes} bytes`, GrpcStatus.INVALID_ARGUMENT),
  /** The caller gave up on the call (its deadline passed while the update waited): nothing was stored; the client sends it again. */
  deadlinePassed: () =>
    new DomainError('COLLAB_DEADLINE', 'the call deadline passed before the update was stored', GrpcStatus.DEADLINE_EXCEEDED),
  textTooLong: () =>
    new DomainError('COLLAB_TOO_LARGE', `text must be at most ${NOTE_LIMITS.text.max} characters`, GrpcStatus.INVALID_ARGUMENT),
};
