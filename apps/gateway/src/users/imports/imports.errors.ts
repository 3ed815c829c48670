import { DomainError, GrpcStatus } from '@micronote/server-core';

/** The import file cannot be read (not a zip, broken XML, a Keep note without its fields, too many entries): 400 with the reason. */
export const IMPORT_FILE_INVALID = 'IMPORT_FILE_INVALID';
/** The body is not a file this source reads (a zip sent as `from=enex`, JSON with `from=`): 415. */
export const IMPORT_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE';

export const ImportErrors = {
  invalid: (reason: string) => new DomainError(IMPORT_FILE_INVALID, reason, GrpcStatus.INVALID_ARGUMENT),
};

/** Thrown by the parsers: a reason the user can act on, answered as 400. */
export function invalidFile(reason: string): never {
  throw ImportErrors.invalid(reason);
}
