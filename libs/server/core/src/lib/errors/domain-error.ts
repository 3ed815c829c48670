import { status as GrpcStatus } from '@grpc/grpc-js';

/**
 * An expected failure of a domain operation. `code` is a stable string (NOTE_NOT_FOUND) because
 * `instanceof` does not cross a process boundary; `status` is the gRPC status it travels as;
 * `details` (e.g. `{ current }` on a version conflict) reaches the HTTP body.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: GrpcStatus,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Metadata keys that carry a DomainError's code and details across gRPC. */
export const ERROR_CODE_METADATA = 'mn-error-code';
export const ERROR_DETAILS_METADATA = 'mn-error-details';
/**
 * The most JSON a DomainError's details may carry: gRPC's customary metadata limit (8 KiB) with
 * room for the rest of the trailers. Larger details cannot be sent (HTTP/2 refuses the header
 * block, the call fails): a domain leaves out what its caller can read back instead.
 */
export const ERROR_DETAILS_MAX_BYTES = 7 * 1024;

export { GrpcStatus };
