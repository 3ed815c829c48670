import { USER_LIMITS } from '@micronote/contracts';
import { userV1 } from '@micronote/proto';
import { canonicalTimeZone, DomainError, GrpcStatus } from '@micronote/server-core';
import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { ApiHeader } from '@nestjs/swagger';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';

/** The request header with the browser's zone (`Intl.DateTimeFormat().resolvedOptions().timeZone`); lower-case, as Fastify keys headers. */
export const TIME_ZONE_HEADER = 'x-time-zone';
/** The zone of a user who chose none and whose client sent none. */
export const DEFAULT_TIME_ZONE = 'UTC';
/** 400: the `X-Time-Zone` header is no zone Intl knows. */
export const INVALID_TIME_ZONE = 'INVALID_TIME_ZONE';

export const TimeZoneErrors = {
  invalidHeader: () =>
    new DomainError(
      INVALID_TIME_ZONE,
      `X-Time-Zone must be one IANA time zone name such as Europe/Berlin or UTC (at most ${USER_LIMITS.timeZone.max} characters)`,
      GrpcStatus.INVALID_ARGUMENT,
    ),
};

/** OpenAPI: the optional `X-Time-Zone` header of a route whose answer depends on the user's day (`view=today|upcoming`). */
export const ApiTimeZoneHeader = () =>
  ApiHeader({
    name: 'X-Time-Zone',
    required: false,
    description: `The client's IANA time zone (Europe/Berlin); wins over the profile's timeZone, else ${DEFAULT_TIME_ZONE}. Invalid: 400 ${INVALID_TIME_ZONE}`,
  });

/**
 * The time zone a request's "today" is in: the `X-Time-Zone` header when sent (400
 * INVALID_TIME_ZONE when Intl does not know it), else the profile's `timeZone` (user-service
 * GetUser, for the signed-in user), else UTC. Always Intl's canonical spelling. The profile is
 * asked only without a header; a user-service failure is passed on (a wrong "today" would be
 * silent), not turned into UTC.
 */
@Injectable()
export class TimeZoneResolver implements OnModuleInit {
  private users!: userV1.UserServiceClient;

  constructor(
    @Inject(userV1.MICRONOTE_USER_V1_PACKAGE_NAME) private readonly userClient: ClientGrpc,
    private readonly grpc: GrpcCaller,
  ) {}

  onModuleInit(): void {
    this.users = this.userClient.getService<userV1.UserServiceClient>(userV1.USER_SERVICE_NAME);
  }

  /**
   * `header` is the raw header value (`@Headers(TIME_ZONE_HEADER)`): absent or blank means none
   * was sent; sent twice (an array) is a 400 like any other bad value.
   */
  async resolve(userId: string, header: string | string[] | undefined, ctx: Pick<RequestContext, 'requestId'>): Promise<string> {
    if (header !== undefined && (typeof header !== 'string' || header.trim() !== '')) {
      const zone = typeof header === 'string' ? canonicalTimeZone(header.trim()) : null;
      if (zone === null) throw TimeZoneErrors.invalidHeader();
      return zone;
    }
    const user = await this.grpc.call(this.users, 'getUser', { userId }, { requestId: ctx.requestId, userId });
    // Stored canonical; checked again in case this process's Intl no longer knows the name.
    return (user.timeZone && canonicalTimeZone(user.timeZone)) || DEFAULT_TIME_ZONE;
  }
}
