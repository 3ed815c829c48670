import { NOTIFICATION_LIMITS, NotificationKind } from '@micronote/contracts';
import { EventLog } from '@micronote/events';
import type { userV1 } from '@micronote/proto';
import type { Clock } from '@micronote/server-data';
import { checkUserId, CLOCK, cursorCodec, invalidInput, isId, keysetPage, pageSize, withinLength } from '@micronote/server-data';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { UserEntity } from '../users/user.entity';
import { NotificationEntity } from './notification.entity';

const KINDS: readonly string[] = Object.values(NotificationKind);
/** What each kind is about. */
const SUBJECT_OF: Record<string, string> = { NOTE_SHARED: 'note', LIST_SHARED: 'list', TODO_COMPLETED: 'todo' };

/** A notifications row with its actor (LEFT JOIN users: null when the account is gone). */
interface NotificationRow {
  id: string;
  kind: string;
  actor_id: string;
  actor_username: string | null;
  actor_name: string | null;
  subject_kind: string;
  subject_id: string;
  subject_title: string;
  list_id: string | null;
  list_name: string | null;
  read_at: Date | null;
  created_at: Date;
}

const isAfter = (values: unknown[]): values is [string] => values.length === 1 && isId(values[0]);

function toNotification(row: NotificationRow): userV1.Notification {
  return {
    id: String(row.id),
    kind: row.kind,
    actorId: String(row.actor_id),
    actor: row.actor_username === null ? undefined : { id: String(row.actor_id), username: row.actor_username, name: row.actor_name ?? '' },
    subjectKind: row.subject_kind,
    subjectId: String(row.subject_id),
    subjectTitle: row.subject_title,
    listId: row.list_id === null ? undefined : String(row.list_id),
    listName: row.list_name ?? undefined,
    readAt: row.read_at ? row.read_at.toISOString() : undefined,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * In-app notifications, stored per recipient. The gateway creates them for the signed-in actor
 * (an invitation, a todo completed in a shared list); each new one goes to the recipient's event
 * stream (NOTIFICATION), so their open tabs show it at once. The same event notified twice
 * (`dedupe_key`) is one notification.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(request: userV1.CreateNotificationsRequest): Promise<userV1.CreateNotificationsResponse> {
    const actorId = checkUserId(request.userId);
    if (!KINDS.includes(request.kind)) throw invalidInput(`kind must be one of ${KINDS.join(', ')}`);
    if (request.subjectKind !== SUBJECT_OF[request.kind])
      throw invalidInput(`a ${request.kind} notification is about a ${SUBJECT_OF[request.kind]}`);
    if (!isId(request.subjectId)) throw invalidInput('subjectId must be an id');
    if (!withinLength(request.subjectTitle, 0, NOTIFICATION_LIMITS.subjectTitle.max))
      throw invalidInput(`subjectTitle must be at most ${NOTIFICATION_LIMITS.subjectTitle.max} characters`);
    if (request.listId && !isId(request.listId)) throw invalidInput('listId must be an id');
    if (!request.dedupeKey || request.dedupeKey.length > 120) throw invalidInput('dedupeKey must be 1 to 120 characters');
    const recipients = [...new Set(request.recipientIds)].filter((id) => id !== actorId);
    if (recipients.length > NOTIFICATION_LIMITS.recipientsPerEvent)
      throw invalidInput(`at most ${NOTIFICATION_LIMITS.recipientsPerEvent} recipients`);
    if (!recipients.every(isId)) throw invalidInput('recipientIds must be user ids');
    if (recipients.length === 0) return { created: 0 };
    const now = this.clock.now();
    // Recipients whose account is gone are skipped (the foreign key would refuse them).
    const existing = await this.dataSource
      .createQueryBuilder()
      .select('u.id', 'id')
      .from(UserEntity, 'u')
      .where('u.id IN (:...ids)', { ids: recipients })
      .getRawMany<{ id: string }>();
    const created: { recipient: string; row: NotificationRow }[] = [];
    for (const { id } of existing) {
      const recipient = String(id);
      const result = await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(NotificationEntity)
        .values({
          userId: recipient,
          kind: request.kind,
          actorId,
          subjectKind: request.subjectKind,
          subjectId: request.subjectId,
          subjectTitle: request.subjectTitle,
          listId: request.listId || null,
          listName: request.listName || null,
          dedupeKey: request.dedupeKey,
          readAt: null,
          createdAt: now,
        })
        .orIgnore()
        .updateEntity(false)
        .execute();
      const { affectedRows, insertId } = result.raw as { affectedRows: number; insertId: number };
      // 0 rows: this recipient had this notification already (the same dedupe key).
      if (affectedRows === 0) continue;
      const [row] = await this.rows(recipient).andWhere('n.id = :id', { id: insertId }).getRawMany<NotificationRow>();
      if (row) created.push({ recipient, row });
    }
    if (created.length > 0)
      await this.events.publish(
        ...created.map(({ recipient, row }) => ({ type: 'NOTIFICATION' as const, userId: recipient, notification: toNotification(row) })),
      );
    return { created: created.length };
  }

  async list(request: userV1.ListNotificationsRequest): Promise<userV1.ListNotificationsResponse> {
    const userId = checkUserId(request.userId);
    const limit = pageSize(request.limit, NOTIFICATION_LIMITS.pageSize);
    const before = request.cursor ? cursorCodec.decode('n', request.cursor, isAfter)[0] : undefined;
    const query = this.rows(userId)
      .orderBy('n.id', 'DESC')
      .limit(limit + 1);
    if (before) query.andWhere('n.id < :before', { before });
    const [rows, unread] = await Promise.all([
      query.getRawMany<NotificationRow>(),
      this.dataSource
        .createQueryBuilder()
        .select('COUNT(*)', 'count')
        .from(NotificationEntity, 'n')
        .where('n.user_id = :userId AND n.read_at IS NULL', { userId })
        .getRawOne<{ count: string | number }>(),
    ]);
    const page = keysetPage(rows, limit, {
      sizeOf: (row) => row.subject_title.length + 300,
      toItem: toNotification,
      cursorAfter: (last) => cursorCodec.encode('n', [String(last.id)]),
    });
    return { items: page.items, nextCursor: page.nextCursor ?? '', unread: Number(unread?.count ?? 0) };
  }

  async markRead(request: userV1.MarkNotificationsReadRequest): Promise<void> {
    const userId = checkUserId(request.userId);
    if (request.ids.length > NOTIFICATION_LIMITS.pageSize.max)
      throw invalidInput(`at most ${NOTIFICATION_LIMITS.pageSize.max} ids at once`);
    if (!request.ids.every(isId)) throw invalidInput('ids must be notification ids');
    const update = this.dataSource
      .createQueryBuilder()
      .update(NotificationEntity)
      .set({ readAt: this.clock.now() })
      .where('user_id = :userId AND read_at IS NULL', { userId });
    if (request.ids.length > 0) update.andWhere('id IN (:...ids)', { ids: request.ids });
    await update.execute();
  }

  /** The user's notifications with their actors, for a page or one row. */
  private rows(userId: string) {
    return this.dataSource
      .createQueryBuilder()
      .select('n.id', 'id')
      .addSelect('n.kind', 'kind')
      .addSelect('n.actor_id', 'actor_id')
      .addSelect('u.username', 'actor_username')
      .addSelect('u.name', 'actor_name')
      .addSelect('n.subject_kind', 'subject_kind')
      .addSelect('n.subject_id', 'subject_id')
      .addSelect('n.subject_title', 'subject_title')
      .addSelect('n.list_id', 'list_id')
      .addSelect('n.list_name', 'list_name')
      .addSelect('n.read_at', 'read_at')
      .addSelect('n.created_at', 'created_at')
      .from(NotificationEntity, 'n')
      .leftJoin(UserEntity, 'u', 'u.id = n.actor_id')
      .where('n.user_id = :userId', { userId });
  }
}
