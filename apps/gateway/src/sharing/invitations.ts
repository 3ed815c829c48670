import type { Member } from '@micronote/contracts';
import { NotificationKind } from '@micronote/contracts';
import { Injectable } from '@nestjs/common';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { UserDirectory } from '../users/user-directory';
import { Notifier } from './notifier';
import type { MemberMessage } from './people-view';
import { PeopleView } from './people-view';

/** What is shared: a note or a list, and how to read its title once the invitation is answered. */
export interface InvitationSubject {
  kind: 'note' | 'list';
  id: string;
  title: () => Promise<string>;
}

const SHARED_KIND = { note: NotificationKind.NoteShared, list: NotificationKind.ListShared } as const;

/**
 * `POST …/members` for notes and lists alike: the invitee by username or e-mail, the service's
 * invitation, the "X shared … with you" notification after the answer, the member by name.
 */
@Injectable()
export class Invitations {
  constructor(
    private readonly directory: UserDirectory,
    private readonly people: PeopleView,
    private readonly notifier: Notifier,
  ) {}

  async invite(
    login: string,
    subject: InvitationSubject,
    create: (inviteeId: string) => Promise<MemberMessage>,
    ctx: Pick<RequestContext, 'requestId' | 'userId'>,
  ): Promise<Member> {
    const invitee = await this.directory.find(login.trim(), ctx);
    const member = await create(invitee.id);
    const kind = SHARED_KIND[subject.kind];
    this.notifier.later(
      kind,
      async () => ({
        kind,
        recipients: [invitee.id],
        subject: { kind: subject.kind, id: subject.id, title: await subject.title() },
        dedupeKey: `${subject.kind}-shared:${subject.id}:${member.invitedAt}`,
      }),
      ctx,
    );
    return this.people.member(new Map([[invitee.id, invitee]]), member);
  }
}
