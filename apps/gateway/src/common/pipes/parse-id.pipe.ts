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
      throw new DomainError(ErrorCode.ValidationFailed, `${metadata.data ?? 'id'} must be a positive integer id`, GrpcStatus.INVALID_ARGUMENT);
    }
    return value;
  }
}
