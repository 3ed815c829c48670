import { DomainError, GrpcStatus } from '@micronote/server-core';
import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { Injectable } from '@nestjs/common';

/** A row id of a service database: a positive BIGINT written in decimal, no sign, no leading zero. */
export const ID_PATTERN = /^[1-9][0-9]{0,18}$/;

/**
 * `@Param('id', ParseIdPipe)`: a malformed id is a 400 from the gateway, before any gRPC call.
 * The id stays a string (BIGINTs do not fit a JS number).
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
      throw new DomainError('VALIDATION_FAILED', `${metadata.data ?? 'id'} must be a positive integer id`, GrpcStatus.INVALID_ARGUMENT);
    }
    return value;
  }
}
