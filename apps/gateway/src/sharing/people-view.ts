import type { Member, MemberRole, MembersResponse, MemberStatus, PersonSummary } from '@micronote/contracts';
import { Injectable } from '@nestjs/common';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { UserDirectory } from '../users/user-directory';

/** A member row as notes-service and todos-service answer it (NoteMember, TodoListMember). */
export interface MemberMessage {
  userId: string;
  role: string;
  status: string;
  invitedAt: string;
  acceptedAt?: string;
}

/** The names the REST shapes of shared items show, by user id. */
export type People = ReadonlyMap<string, PersonSummary>;

/** Someone whose account is gone (deleted between the read and the lookup): an id without a name. */
const unknownPerson = (id: string): PersonSummary => ({ id, username: '', displayName: null });

/**
 * The people of shared notes and lists as the REST shapes show them: owners, members and actors
 * by name (one GetUsers call per answer, whatever its size), never by e-mail.
 */
@Injectable()
export class PeopleView {
  constructor(private readonly directory: UserDirectory) {}

  /** The summaries of these ids (UserDirectory: no ids, no call). */
  people(ids: Iterable<string>, ctx: Pick<RequestContext, 'requestId' | 'userId'>): Promise<People> {
    return this.directory.summaries(ids, ctx);
  }

  person(people: People, id: string): PersonSummary {
    return people.get(id) ?? unknownPerson(id);
  }

  member(people: People, row: MemberMessage): Member {
    return {
      user: this.person(people, row.userId),
      role: row.role as MemberRole,
      status: row.status as MemberStatus,
      invitedAt: row.invitedAt,
      acceptedAt: row.acceptedAt ?? null,
    };
  }

  /** `GET …/members`: the owner and every member, by name. */
  async members(
    ownerId: string,
    rows: readonly MemberMessage[],
    ctx: Pick<RequestContext, 'requestId' | 'userId'>,
  ): Promise<MembersResponse> {
    const people = await this.people([ownerId, ...rows.map((row) => row.userId)], ctx);
    return { owner: this.person(people, ownerId), items: rows.map((row) => this.member(people, row)) };
  }

  /** One member (an invitation's or a role change's answer), by name. */
  async oneMember(row: MemberMessage, ctx: Pick<RequestContext, 'requestId' | 'userId'>): Promise<Member> {
    return this.member(await this.people([row.userId], ctx), row);
  }
}
