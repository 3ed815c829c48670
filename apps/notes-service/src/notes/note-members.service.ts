import type { MemberRole, MemberStatus } from '@micronote/contracts';
import { MEMBER_ROLES, NOTE_LIMITS, SHARING_LIMITS } from '@micronote/contracts';
import { CacheScope, ChangeFeed, withClient } from '@micronote/events';
import type { notesV1 } from '@micronote/proto';
import type { Clock, MemberRow } from '@micronote/server-data';
import { checkUserId, CLOCK, cursorCodec, isId, isSqlTime, keysetPage, memberFields, pageSize, sqlTime } from '@micronote/server-data';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { Audience } from './note-access';
import { NoteAccess } from './note-access';
import { NoteMemberErrors } from './note-members.errors';
import { NoteMembersRepository } from './note-members.repository';
import { NoteErrors } from './notes.errors';
import type { NoteRow } from './notes.repository';
import { noteBytes, NotesRepository, toNote } from './notes.repository';

const toMember = (row: MemberRow): notesV1.NoteMember => ({ noteId: String(row.item_id), ...memberFields(row) });

const isRole = (role: string): role is MemberRole => (MEMBER_ROLES as readonly string[]).includes(role);

const isSharedAfter = (values: unknown[]): values is [string, string] => values.length === 2 && isSqlTime(values[0]) && isId(values[1]);

/** A membership change as NOTE_MEMBERS_CHANGED carries it (`role: null`: the member is gone). */
interface MemberChange {
  userId: string;
  role: MemberRole | null;
  status: MemberStatus | null;
}

/**
 * Sharing a note with people (design17 "Sharing with people"): the owner invites a user (the
 * gateway resolves the username or e-mail to an id) as viewer or editor, the invitee accepts, the
 * owner changes the role or removes them, a member leaves (or an invitee declines). Every change
 * is one transaction under the note's row lock (so the cap and the count hold under races) and a
 * NOTE_MEMBERS_CHANGED to the owner, every accepted member and the member concerned.
 */
@Injectable()
export class NoteMembersService {
  constructor(
    private readonly members: NoteMembersRepository,
    private readonly notes: NotesRepository,
    private readonly access: NoteAccess,
    private readonly feed: ChangeFeed,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async invite(request: notesV1.InviteNoteMemberRequest): Promise<notesV1.NoteMember> {
    const userId = checkUserId(request.userId);
    const role = this.checkRole(request.role);
    if (!isId(request.memberId)) throw NoteErrors.invalid('memberId must be a user id');
    const now = this.clock.now();
    const { member, row } = await this.notes.transaction(async (manager) => {
      const { row } = await this.access.require(userId, request.noteId, 'owner', 'inviting people to this note', manager, true);
      if (request.memberId === userId) throw NoteMemberErrors.self();
      if (row.deleted_at) throw NoteErrors.inTrash();
      if (await this.members.find(row.id, request.memberId, manager)) throw NoteMemberErrors.alreadyMember();
      if ((await this.members.count(row.id, manager)) >= SHARING_LIMITS.membersPerItem) throw NoteMemberErrors.tooMany();
      await this.members.invite({ itemId: row.id, userId: request.memberId, role, invitedBy: userId, invitedAt: now }, manager);
      return { member: (await this.members.find(row.id, request.memberId, manager)) as MemberRow, row };
    });
    await this.announce(row, { userId: member.user_id, role, status: 'pending' }, request.clientId);
    return toMember(member);
  }

  /** The owner and the members (pending ones too), for the owner and the accepted members. */
  async list(request: notesV1.ListNoteMembersRequest): Promise<notesV1.ListNoteMembersResponse> {
    const userId = checkUserId(request.userId);
    const { row } = await this.access.require(userId, request.noteId, 'read', 'reading this note');
    return { ownerId: String(row.user_id), items: (await this.members.list(row.id)).map(toMember) };
  }

  async update(request: notesV1.UpdateNoteMemberRequest): Promise<notesV1.NoteMember> {
    const userId = checkUserId(request.userId);
    const role = this.checkRole(request.role);
    const { member, row } = await this.notes.transaction(async (manager) => {
      const { row } = await this.access.require(userId, request.noteId, 'owner', 'changing the members of this note', manager, true);
      const found = isId(request.memberId) ? await this.members.find(row.id, request.memberId, manager) : undefined;
      if (!found) throw NoteMemberErrors.notFound();
      if (found.role !== role) await this.members.setRole(row.id, request.memberId, role, manager);
      return { member: { ...found, role }, row };
    });
    await this.announce(row, { userId: member.user_id, role, status: member.status }, request.clientId);
    return toMember(member);
  }

  /**
   * The owner removes a member (pending or accepted); a member removes themselves (leave, or
   * decline an invitation). Anyone else: NOTE_NOT_FOUND (a member removing another:
   * INSUFFICIENT_ROLE).
   */
  async remove(request: notesV1.RemoveNoteMemberRequest): Promise<void> {
    const userId = checkUserId(request.userId);
    if (!isId(request.noteId)) throw NoteErrors.notFound();
    const self = request.memberId === userId;
    const { audience, row, removed } = await this.notes.transaction(async (manager) => {
      const row = await this.notes.findAny(request.noteId, manager, true);
      if (!row) throw NoteErrors.notFound();
      if (self) {
        // A member or invitee leaving: their own row is their only access (none: as for any stranger).
        if (String(row.user_id) === userId) throw NoteMemberErrors.notFound();
      } else {
        await this.access.require(userId, request.noteId, 'owner', 'removing people from this note', manager);
      }
      const found = isId(request.memberId) ? await this.members.find(row.id, request.memberId, manager) : undefined;
      if (!found) throw self ? NoteErrors.notFound() : NoteMemberErrors.notFound();
      // Told before the row goes: the member concerned is among the accepted ones still.
      const audience = await this.access.audience(row, manager);
      await this.members.remove(row.id, request.memberId, manager);
      return { audience, row, removed: found };
    });
    await this.tell(audience, row, { userId: String(removed.user_id), role: null, status: null }, request.clientId);
  }

  /** Accepts the caller's pending invitation: the note (with `access`); accepting twice answers the note again. */
  async accept(request: notesV1.AcceptNoteInvitationRequest): Promise<notesV1.Note> {
    const userId = checkUserId(request.userId);
    if (!isId(request.noteId)) throw NoteErrors.notFound();
    const { row, role, changed } = await this.notes.transaction(async (manager) => {
      const row = await this.notes.findAny(request.noteId, manager, true);
      const found = row && !row.deleted_at ? await this.members.find(row.id, userId, manager) : undefined;
      if (!row || !found) throw NoteErrors.notFound();
      if (found.status === 'accepted') return { row, role: found.role, changed: false };
      await this.members.accept(row.id, userId, this.clock.now(), manager);
      return { row: { ...row, members: Number(row.members ?? 0) + 1 }, role: found.role, changed: true };
    });
    if (changed) await this.announce(row, { userId, role, status: 'accepted' }, request.clientId);
    return toNote(row, role);
  }

  /** Accepted notes of others, newest updated first, in keyset pages (each with its `access`). */
  async listShared(request: notesV1.ListSharedNotesRequest): Promise<notesV1.ListNotesResponse> {
    const userId = checkUserId(request.userId);
    const limit = pageSize(request.limit, NOTE_LIMITS.pageSize);
    const after = request.cursor ? cursorCodec.decode('h', request.cursor, isSharedAfter) : undefined;
    const rows = await this.notes.sharedWith(userId, limit + 1, after && { updatedAt: after[0], id: after[1] });
    return keysetPage(rows, limit, {
      sizeOf: (row) => noteBytes(row) + 200,
      toItem: (row) => toNote(row, row.member_role ?? 'viewer'),
      cursorAfter: (last) => cursorCodec.encode('h', [sqlTime(last.updated_at), String(last.id)]),
    });
  }

  async listInvitations(request: notesV1.ListNoteInvitationsRequest): Promise<notesV1.ListNoteInvitationsResponse> {
    const userId = checkUserId(request.userId);
    const rows = await this.members.invitationsOf(userId);
    return {
      items: rows.map((row) => ({
        noteId: String(row.note_id),
        title: row.title,
        role: row.role,
        ownerId: String(row.owner_id),
        invitedAt: row.invited_at.toISOString(),
      })),
    };
  }

  /**
   * Account deletion, before the user's notes go: their memberships in others' notes are removed
   * (the owners and members are told, role null), and the members of their own notes are told
   * they lost them (role null; the notes' rows cascade with the notes). Safe to repeat.
   */
  async forgetUser(userId: string): Promise<void> {
    const removed = await this.notes.transaction((manager) => this.members.removeAllOf(userId, manager));
    for (const membership of removed) {
      const audience = await this.access.audience({ id: membership.itemId, user_id: membership.ownerId });
      await this.tellIds(
        audience.map((a) => a.userId),
        membership.itemId,
        { userId, role: null, status: null },
        '',
      );
    }
    const ofOwn = await this.members.membersOfOwner(userId);
    for (const member of ofOwn) await this.tellIds([member.userId], member.itemId, { userId: member.userId, role: null, status: null }, '');
  }

  private checkRole(role: string): MemberRole {
    if (!isRole(role)) throw NoteErrors.invalid(`role must be one of ${MEMBER_ROLES.join(', ')}`);
    return role;
  }

  /** NOTE_MEMBERS_CHANGED after a committed change: to the owner, the accepted members and the member concerned. */
  private async announce(row: NoteRow, change: MemberChange, clientId: string, manager?: EntityManager): Promise<void> {
    await this.tell(await this.access.audience(row, manager), row, change, clientId);
  }

  private tell(audience: Audience[], row: Pick<NoteRow, 'id'>, change: MemberChange, clientId: string): Promise<void> {
    return this.tellIds(
      audience.map((a) => a.userId),
      String(row.id),
      change,
      clientId,
    );
  }

  private tellIds(userIds: string[], noteId: string, change: MemberChange, clientId: string): Promise<void> {
    const member = { ...change, userId: String(change.userId) };
    return this.feed.changedFor(CacheScope.Notes, [...userIds, member.userId], (userId) => ({
      type: 'NOTE_MEMBERS_CHANGED',
      userId,
      noteId,
      member,
      ...withClient(clientId),
    }));
  }
}
