import type { PersonSummary } from '@micronote/contracts';
import { userV1 } from '@micronote/proto';
import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';

/** GetUsers answers at most this many ids per call (user-service's cap); more are asked in chunks. */
export const DIRECTORY_BATCH = 500;

/** A user as other users see them (never the e-mail): the REST shape of user-service's UserSummary. */
export function toPersonSummary(user: userV1.UserSummary): PersonSummary {
  return { id: user.id, username: user.username, displayName: user.name || null };
}

/**
 * The people directory, for sharing with people: finds the user an owner invites (by username or
 * e-mail, case-insensitive; 404 USER_NOT_FOUND from user-service) and resolves member, owner and
 * actor ids to names for the REST shapes. Calls go through the GrpcCaller for the signed-in user.
 */
@Injectable()
export class UserDirectory implements OnModuleInit {
  private users!: userV1.UserServiceClient;

  constructor(
    @Inject(userV1.MICRONOTE_USER_V1_PACKAGE_NAME) private readonly userClient: ClientGrpc,
    private readonly grpc: GrpcCaller,
  ) {}

  onModuleInit(): void {
    this.users = this.userClient.getService<userV1.UserServiceClient>(userV1.USER_SERVICE_NAME);
  }

  /** The user whose username or e-mail is `login`; rejects with NOT_FOUND (USER_NOT_FOUND) when none. */
  async find(login: string, ctx: Pick<RequestContext, 'requestId' | 'userId'>): Promise<PersonSummary> {
    return toPersonSummary(await this.grpc.call(this.users, 'findUser', { login, userId: ctx.userId ?? '' }, ctx));
  }

  /**
   * The users of these ids by id (duplicates asked once, in chunks of DIRECTORY_BATCH). An id of
   * no user (a deleted account) is missing from the map: the caller decides what to show.
   */
  async summaries(ids: Iterable<string>, ctx: Pick<RequestContext, 'requestId' | 'userId'>): Promise<Map<string, PersonSummary>> {
    const unique = [...new Set(ids)];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += DIRECTORY_BATCH) chunks.push(unique.slice(i, i + DIRECTORY_BATCH));
    const answers = await Promise.all(chunks.map((chunk) => this.grpc.call(this.users, 'getUsers', { ids: chunk, userId: ctx.userId ?? '' }, ctx)));
    const found = new Map<string, PersonSummary>();
    for (const answer of answers) for (const user of answer.items ?? []) found.set(user.id, toPersonSummary(user));
    return found;
  }
}
