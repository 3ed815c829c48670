import type { AccessRole, MemberRole, MemberStatus } from '@micronote/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { WriteResult } from './prepared';
import { Prepared } from './prepared';
import { sqlTime } from './sql-time';

/**
 * The entity of a members table `<table>(<itemColumn>, user_id, role, status, invited_by,
 * invited_at, accepted_at)`, primary key (<itemColumn>, user_id): notes' note_members, todos'
 * todo_list_members (each created by its service's migration; the owner is never a row).
 */
export function membersEntity(table: string, itemColumn: string) {
  @Entity({ name: table })
  class MembersEntity {
    @PrimaryColumn({ name: itemColumn, type: 'bigint', unsigned: true })
    itemId!: string;

    @PrimaryColumn({ name: 'user_id', type: 'bigint', unsigned: true })
    userId!: string;

    @Column({ type: 'enum', enum: ['viewer', 'editor'] })
    role!: MemberRole;

    /** `pending` until the invitee accepts; only accepted members have access. */
    @Column({ type: 'enum', enum: ['pending', 'accepted'] })
    status!: MemberStatus;

    @Column({ name: 'invited_by', type: 'bigint', unsigned: true })
    invitedBy!: string;

    @Column({ name: 'invited_at', type: 'datetime', precision: 3 })
    invitedAt!: Date;

    @Column({ name: 'accepted_at', type: 'datetime', precision: 3, nullable: true })
    acceptedAt!: Date | null;
  }
  return MembersEntity;
}

/** The member table of a shared item (note_members, todo_list_members) and the item table it belongs to. */
export interface MemberTable {
  /** The member entity (membersEntity). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entity: Function;
  /** The item entity: `id`, the owner in `user_id`, the maintained count of accepted members in `members`. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  item: Function;
  /** The member table's column naming the item (`note_id`, `list_id`). */
  itemColumn: string;
}

/** A member row as mysql2 returns it (the item column read as `item_id`). */
export interface MemberRow {
  item_id: string;
  user_id: string;
  role: MemberRole;
  status: MemberStatus;
  invited_by: string;
  invited_at: Date;
  accepted_at: Date | null;
}

/** The caller's place in an item: its owner, and the caller's role (null: no access, pending included). */
export interface ItemAccess {
  ownerId: string;
  role: AccessRole | null;
}

/** A member row in the contract's words (what the services answer, the gateway adds the person). */
export function memberFields(row: MemberRow): {
  userId: string;
  role: MemberRole;
  status: MemberStatus;
  invitedAt: string;
  acceptedAt?: string;
} {
  return {
    userId: String(row.user_id),
    role: row.role,
    status: row.status,
    invitedAt: row.invited_at.toISOString(),
    acceptedAt: row.accepted_at ? row.accepted_at.toISOString() : undefined,
  };
}

/**
 * The one way the twin services keep the people an item (a note, a todo list) is shared with:
 * the owner is the item's `user_id` and never a member row; a member is `pending` until they
 * accept and only `accepted` members have a role. The item's `members` column is the count of
 * accepted members, changed by the writes here in the caller's transaction. Statements are built
 * once (see Prepared); the manager comes last (the data source's own outside a transaction).
 */
export class MemberRows {
  private readonly access: Prepared;
  private readonly accessLocked: Prepared;
  private readonly acceptedIds: Prepared;
  private readonly ofItem: Prepared;
  private readonly one: Prepared;
  private readonly countAll: Prepared;
  private readonly insertOne: Prepared;
  private readonly setRoleOf: Prepared;
  private readonly acceptOne: Prepared;
  private readonly deleteOne: Prepared;
  private readonly bump: Prepared;
  private readonly ofUser: Prepared;
  private readonly deleteOfUser: Prepared;
  private readonly ofOwner: Prepared;

  constructor(
    protected readonly dataSource: DataSource,
    protected readonly table: MemberTable,
  ) {
    const builder = () => dataSource.createQueryBuilder();
    const item = table.itemColumn;
    const columns = (alias: string) =>
      builder()
        .select(`${alias}.${item}`, 'item_id')
        .addSelect(`${alias}.user_id`, 'user_id')
        .addSelect(`${alias}.role`, 'role')
        .addSelect(`${alias}.status`, 'status')
        .addSelect(`${alias}.invited_by`, 'invited_by')
        .addSelect(`${alias}.invited_at`, 'invited_at')
        .addSelect(`${alias}.accepted_at`, 'accepted_at')
        .from(table.entity, alias);
    // The item's owner and the caller's accepted row, if any: one primary-key lookup of each table.
    const access = () =>
      builder()
        .select('i.user_id', 'owner_id')
        .addSelect('m.role', 'role')
        .from(table.item, 'i')
        .leftJoin(table.entity, 'm', `m.${item} = i.id AND m.user_id = :userId AND m.status = 'accepted'`)
        .where('i.id = :itemId');
    this.access = new Prepared(access());
    this.accessLocked = new Prepared(access().setLock('pessimistic_write'));
    this.acceptedIds = new Prepared(
      builder()
        .select('m.user_id', 'user_id')
        .from(table.entity, 'm')
        .where(`m.${item} = :itemId AND m.status = 'accepted'`)
        .orderBy('m.user_id'),
    );
    this.ofItem = new Prepared(columns('m').where(`m.${item} = :itemId`).orderBy('m.invited_at', 'ASC').addOrderBy('m.user_id', 'ASC'));
    this.one = new Prepared(columns('m').where(`m.${item} = :itemId AND m.user_id = :userId`));
    this.countAll = new Prepared(builder().select('COUNT(*)', 'count').from(table.entity, 'm').where(`m.${item} = :itemId`));
    this.insertOne = new Prepared(
      builder()
        .insert()
        .into(table.entity)
        .values({
          itemId: () => ':itemId',
          userId: () => ':userId',
          role: () => ':role',
          status: () => "'pending'",
          invitedBy: () => ':invitedBy',
          invitedAt: () => ':invitedAt',
        })
        .updateEntity(false),
    );
    this.setRoleOf = new Prepared(
      builder()
        .update(table.entity)
        .set({ role: () => ':role' })
        .where(`${item} = :itemId AND user_id = :userId`),
    );
    this.acceptOne = new Prepared(
      builder()
        .update(table.entity)
        .set({ status: () => "'accepted'", acceptedAt: () => ':now' })
        .where(`${item} = :itemId AND user_id = :userId AND status = 'pending'`),
    );
    this.deleteOne = new Prepared(builder().delete().from(table.entity).where(`${item} = :itemId AND user_id = :userId`), {
      returning: 'status',
    });
    // Raw: the count column is not written through the item's entity (it is `update: false` there).
    const itemTable = dataSource.getMetadata(table.item).tableName;
    this.bump = new Prepared({ getQuery: () => `UPDATE \`${itemTable}\` SET members = members + :delta WHERE id = :itemId` });
    this.ofUser = new Prepared(
      builder()
        .select(`m.${item}`, 'item_id')
        .addSelect('m.status', 'status')
        .addSelect('i.user_id', 'owner_id')
        .from(table.entity, 'm')
        .innerJoin(table.item, 'i', `i.id = m.${item}`)
        .where('m.user_id = :userId')
        .orderBy(`m.${item}`),
    );
    this.ofOwner = new Prepared(
      builder()
        .select(`m.${item}`, 'item_id')
        .addSelect('m.user_id', 'user_id')
        .from(table.entity, 'm')
        .innerJoin(table.item, 'i', `i.id = m.${item}`)
        .where('i.user_id = :ownerId')
        .orderBy(`m.${item}`),
    );
    this.deleteOfUser = new Prepared(builder().delete().from(table.entity).where('user_id = :userId'));
  }

  /** The caller's access to the item (undefined: no such item); `lock` takes the item row's write lock. */
  async accessOf(
    userId: string,
    itemId: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<ItemAccess | undefined> {
    const rows = await (lock ? this.accessLocked : this.access).run<{ owner_id: string; role: MemberRole | null }[]>(manager, {
      userId,
      itemId,
    });
    const row = rows[0];
    if (!row) return undefined;
    const ownerId = String(row.owner_id);
    return { ownerId, role: ownerId === String(userId) ? 'owner' : (row.role ?? null) };
  }

  /** 'owner', the accepted member's role, or null (pending, not a member, or no such item). */
  async roleOf(userId: string, itemId: string, manager: EntityManager = this.dataSource.manager): Promise<AccessRole | null> {
    return (await this.accessOf(userId, itemId, manager))?.role ?? null;
  }

  /** The accepted members' user ids (the owner not included), in id order. */
  async memberIds(itemId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = await this.acceptedIds.run<{ user_id: string }[]>(manager, { itemId });
    return rows.map((row) => String(row.user_id));
  }

  /** Every member, pending ones included, oldest invitation first. */
  list(itemId: string, manager: EntityManager = this.dataSource.manager): Promise<MemberRow[]> {
    return this.ofItem.run<MemberRow[]>(manager, { itemId });
  }

  async find(itemId: string, userId: string, manager: EntityManager = this.dataSource.manager): Promise<MemberRow | undefined> {
    const rows = await this.one.run<MemberRow[]>(manager, { itemId, userId });
    return rows[0];
  }

  /** Members pending and accepted (call with the item locked, so two invites cannot both pass the cap). */
  async count(itemId: string, manager: EntityManager): Promise<number> {
    const rows = await this.countAll.run<{ count: string | number }[]>(manager, { itemId });
    return Number(rows[0]?.count ?? 0);
  }

  /** A pending invitation. */
  async invite(
    member: { itemId: string; userId: string; role: MemberRole; invitedBy: string; invitedAt: Date },
    manager: EntityManager,
  ): Promise<void> {
    await this.insertOne.run(manager, { ...member, invitedAt: sqlTime(member.invitedAt) });
  }

  async setRole(itemId: string, userId: string, role: MemberRole, manager: EntityManager): Promise<boolean> {
    const result = await this.setRoleOf.run<WriteResult>(manager, { itemId, userId, role });
    return result.affectedRows > 0;
  }

  /** Accepts a pending invitation (and counts the member); false when there was none pending. */
  async accept(itemId: string, userId: string, now: Date, manager: EntityManager): Promise<boolean> {
    const result = await this.acceptOne.run<WriteResult>(manager, { itemId, userId, now: sqlTime(now) });
    if (result.affectedRows === 0) return false;
    await this.bump.run(manager, { itemId, delta: 1 });
    return true;
  }

  /** Removes a member (pending or accepted; an accepted one is uncounted); their status before, or undefined when there was none. */
  async remove(itemId: string, userId: string, manager: EntityManager): Promise<MemberStatus | undefined> {
    const rows = await this.deleteOne.run<{ status: MemberStatus }[]>(manager, { itemId, userId });
    const status = rows[0]?.status;
    if (status === 'accepted') await this.bump.run(manager, { itemId, delta: -1 });
    return status;
  }

  /**
   * Account deletion: removes every membership of the user in others' items (accepted ones
   * uncounted) and returns them, so the owners and members can be told.
   */
  async removeAllOf(userId: string, manager: EntityManager): Promise<{ itemId: string; ownerId: string; status: MemberStatus }[]> {
    const rows = await this.ofUser.run<{ item_id: string; owner_id: string; status: MemberStatus }[]>(manager, { userId });
    await this.deleteOfUser.run(manager, { userId });
    for (const row of rows) if (row.status === 'accepted') await this.bump.run(manager, { itemId: row.item_id, delta: -1 });
    return rows.map((row) => ({ itemId: String(row.item_id), ownerId: String(row.owner_id), status: row.status }));
  }

  /** Every member (pending ones too) of the owner's items: who to tell when the owner's account goes. */
  async membersOfOwner(ownerId: string, manager: EntityManager = this.dataSource.manager): Promise<{ itemId: string; userId: string }[]> {
    const rows = await this.ofOwner.run<{ item_id: string; user_id: string }[]>(manager, { ownerId });
    return rows.map((row) => ({ itemId: String(row.item_id), userId: String(row.user_id) }));
  }
}
