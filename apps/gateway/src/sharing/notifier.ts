import type { NotificationKind } from '@micronote/contracts';
import { userV1 } from '@micronote/proto';
import { metric } from '@micronote/server-core';
import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { Counter } from 'prom-client';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';

export const notificationsFailed = () =>
  metric(
    'notifications_failed_total',
    () =>
      new Counter({
        name: 'notifications_failed_total',
        help: 'In-app notifications the gateway could not hand to user-service (the action they are about succeeded)',
        labelNames: ['kind'],
      }),
  );

/** One event to notify: what happened, to whom, and the key that makes a repeat of it one notification. */
export interface NotifyInput {
  kind: NotificationKind;
  recipients: readonly string[];
  subject: { kind: 'note' | 'list' | 'todo'; id: string; title: string };
  list?: { id: string; name: string };
  dedupeKey: string;
}

/**
 * Makes the in-app notifications of what the signed-in user just did ("X shared a note with you",
 * "X completed a todo in list Y") in user-service, which stores them and sends each recipient a
 * NOTIFICATION event. A notification is about an action that has already succeeded: if user-service
 * cannot take it, the action still stands, the failure is logged and counted
 * (`notifications_failed_total`), and the answer is not held up by it.
 */
@Injectable()
export class Notifier implements OnModuleInit {
  private readonly logger = new Logger(Notifier.name);
  private users!: userV1.UserServiceClient;

  constructor(
    @Inject(userV1.MICRONOTE_USER_V1_PACKAGE_NAME) private readonly client: ClientGrpc,
    private readonly grpc: GrpcCaller,
  ) {
    notificationsFailed();
  }

  onModuleInit(): void {
    this.users = this.client.getService<userV1.UserServiceClient>(userV1.USER_SERVICE_NAME);
  }

  /** Notifies the recipients (the actor is left out); never rejects. */
  async notify(input: NotifyInput, ctx: Pick<RequestContext, 'requestId' | 'userId'>): Promise<void> {
    const actorId = ctx.userId ?? '';
    const recipients = input.recipients.filter((id) => id !== actorId);
    if (recipients.length === 0) return;
    try {
      await this.grpc.call(
        this.users,
        'createNotifications',
        {
          userId: actorId,
          recipientIds: recipients,
          kind: input.kind,
          subjectKind: input.subject.kind,
          subjectId: input.subject.id,
          subjectTitle: input.subject.title.slice(0, 200),
          listId: input.list?.id ?? '',
          listName: input.list?.name ?? '',
          dedupeKey: input.dedupeKey,
        },
        ctx,
      );
    } catch (error) {
      notificationsFailed().inc({ kind: input.kind });
      this.logger.warn(`notification ${input.kind} of ${input.subject.kind} ${input.subject.id} not made: ${(error as Error).message}`);
    }
  }

  /**
   * `notify` after the answer is sent (the caller does not wait for it): `make` reads what the
   * notification shows (a title, the list's members) and answers it, or nothing to notify.
   */
  later(kind: NotificationKind, make: () => Promise<NotifyInput | undefined>, ctx: Pick<RequestContext, 'requestId' | 'userId'>): void {
    void make().then(
      (input) => (input ? this.notify(input, ctx) : undefined),
      (error: unknown) => {
        notificationsFailed().inc({ kind });
        this.logger.warn(`notification ${kind} not made: ${(error as Error).message}`);
      },
    );
  }
}
