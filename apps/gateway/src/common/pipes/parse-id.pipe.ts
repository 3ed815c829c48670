import { ErrorCode, ID_PATTERN } from '@micronote/contracts';
import { DomainError, GrpcStatus } from '@micronote/server-core';
import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { Injectable } from '@nestjs/common';

/**
 * `@Param('id', ParseIdPipe)`: a malformed id is a 400 from the gateway, before any gRPC call.
 * The id stays a string (BIGINTs do not fit a JS number).
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `${metadata.data ?? 'id'} must be a positive integer id`,
        GrpcStatus.INVALID_ARGUMENT,
      );
    }
    return value;
  }
}

/** `@Param('version', ParseVersionPipe)`: a note version, 1..2^31-1, or a 400 before any gRPC call. */
@Injectable()
export class ParseVersionPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, metadata: ArgumentMetadata): number {
    // (the global ValidationPipe may have made it a number already: `version: number` is its metatype)
    const text = typeof value === 'number' ? String(value) : value;
    const version = typeof text === 'string' && /^[1-9]\d{0,9}$/.test(text) ? Number(text) : NaN;
    if (!(version <= 2_147_483_647)) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `${metadata.data ?? 'version'} must be a positive integer`,
        GrpcStatus.INVALID_ARGUMENT,
      );
    }
    return version;
  }
}

/** `me`, the caller themselves, in member routes (`DELETE …/members/me`: leave, or decline an invitation). */
export const ME = 'me';

/** `@Param('userId', ParseMemberIdPipe)`: a user id or `me`, or a 400 before any gRPC call. */
@Injectable()
export class ParseMemberIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (value === ME || (typeof value === 'string' && ID_PATTERN.test(value))) return value;
    throw new DomainError(ErrorCode.ValidationFailed, `${metadata.data ?? 'userId'} must be a user id or "me"`, GrpcStatus.INVALID_ARGUMENT);
  }
}
