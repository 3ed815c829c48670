import type { AccessRole } from '@micronote/contracts';
import { isId } from '@micronote/server-data';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { NoteMemberErrors } from './note-members.errors';
import { NoteMembersRepository } from './note-members.repository';
import { NoteErrors } from './notes.errors';
import type { NoteRow } from './notes.repository';
import { NotesRepository } from './notes.repository';

/** What an action needs: `read` (any role), `edit` (owner or editor), `owner`. */
export type NeededRole = 'read' | 'edit' | 'owner';

/** A recipient of a note's events, with the role their copy of the note shows. */
export interface Audience {
  userId: string;
  role: AccessRole;
}

/**
 * The one access check of every note RPC (design17 "Access rules"): the note by id, then the
 * caller's role — the owner (notes.user_id) or an accepted member. A caller with no role, or a
 * member when the note is in the trash (the owner's), gets NOTE_NOT_FOUND exactly as for a note
 * that does not exist; a member whose role does not allow the action gets INSUFFICIENT_ROLE.
 */
@Injectable()
export class NoteAccess {
  constructor(
    private readonly notes: NotesRepository,
    private readonly members: NoteMembersRepository,
  ) {}

  /** The note and the caller's role, or the error; `lock` takes the note's row lock (pass the transaction's manager). */
  async require(
    userId: string,
    noteId: string,
    need: NeededRole,
    action: string,
    manager?: EntityManager,
    lock = false,
  ): Promise<{ row: NoteRow; role: AccessRole }> {
    const row = isId(noteId) ? await this.notes.findAny(noteId, manager, lock) : undefined;
    if (!row) throw NoteErrors.notFound();
    return { row, role: await this.check(userId, row, need, action, manager) };
  }

  /** The caller's role in a note row already read (and locked), or the error `require` throws for it. */
  async check(userId: string, row: NoteRow, need: NeededRole, action: string, manager?: EntityManager): Promise<AccessRole> {
    const role = await this.roleIn(userId, row, manager);
    if (!role) throw NoteErrors.notFound();
    if (role !== 'owner' && row.deleted_at) throw NoteErrors.notFound();
    if (need === 'owner' && role !== 'owner') throw NoteMemberErrors.insufficientRole(action);
    if (need === 'edit' && role === 'viewer') throw NoteMemberErrors.insufficientRole(action);
    return role;
  }

  /** The caller's role in a note row already read. */
  async roleIn(userId: string, row: NoteRow, manager?: EntityManager): Promise<AccessRole | null> {
    if (String(row.user_id) === String(userId)) return 'owner';
    // Without accepted members nobody else has a role: no second lookup for an unshared note.
    if (row.members !== undefined && Number(row.members) === 0) return null;
    const member = await this.members.find(row.id, userId, manager);
    return member?.status === 'accepted' ? member.role : null;
  }

  /** Who a change of the note reaches: its owner, and every accepted member when it has some. */
  async audience(row: Pick<NoteRow, 'id' | 'user_id' | 'members'>, manager?: EntityManager): Promise<Audience[]> {
    const owner: Audience = { userId: String(row.user_id), role: 'owner' };
    if (row.members !== undefined && Number(row.members) === 0) return [owner];
    const accepted = (await this.members.list(row.id, manager)).filter((m) => m.status === 'accepted');
    return [owner, ...accepted.map((m) => ({ userId: String(m.user_id), role: m.role }))];
  }
}
