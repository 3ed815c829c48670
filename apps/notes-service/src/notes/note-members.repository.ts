import type { MemberRole } from '@micronote/contracts';
import { MemberRows, Prepared } from '@micronote/server-data';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { NoteEntity } from './note.entity';
import { NoteMemberEntity } from './note-member.entity';

/** The entities of sharing with people (listed with NOTE_ENTITIES in the service's DatabaseSpec). */
export const NOTE_MEMBER_ENTITIES = [NoteMemberEntity];

/** A pending invitation with its note's title and owner. */
export interface InvitationRow {
  note_id: string;
  title: string;
  role: MemberRole;
  owner_id: string;
  invited_at: Date;
}

/** How many pending invitations one listing shows at most (newest first). */
export const INVITATIONS_LISTED = 200;

/**
 * The people a note is shared with (note_members; the owner is notes.user_id). `roleOf(userId,
 * noteId)` is the one access answer of every note RPC: 'owner', 'editor', 'viewer' or null
 * (pending, not a member, no such note). The statements are MemberRows' (the twins' one way).
 */
@Injectable()
export class NoteMembersRepository extends MemberRows {
  private readonly pending: Prepared;

  constructor(dataSource: DataSource) {
    super(dataSource, { entity: NoteMemberEntity, item: NoteEntity, itemColumn: 'note_id' });
    this.pending = new Prepared(
      dataSource
        .createQueryBuilder()
        .select('m.note_id', 'note_id')
        .addSelect('n.title', 'title')
        .addSelect('m.role', 'role')
        .addSelect('n.user_id', 'owner_id')
        .addSelect('m.invited_at', 'invited_at')
        .from(NoteMemberEntity, 'm')
        .innerJoin(NoteEntity, 'n', 'n.id = m.note_id')
        .where("m.user_id = :userId AND m.status = 'pending' AND n.deleted_at IS NULL")
        .orderBy('m.invited_at', 'DESC')
        .addOrderBy('m.note_id', 'DESC'),
      { limit: true },
    );
  }

  /** The user's pending invitations to notes out of the trash, newest first. */
  invitationsOf(userId: string): Promise<InvitationRow[]> {
    return this.pending.run(this.dataSource.manager, { userId, limit: INVITATIONS_LISTED });
  }
}
