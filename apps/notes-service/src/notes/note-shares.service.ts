import { createHash, randomBytes } from 'node:crypto';

import { NOTE_LIMITS } from '@micronote/contracts';
import { CacheScope, ChangeFeed, withClient } from '@micronote/events';
import type { notesV1 } from '@micronote/proto';
import type { Clock } from '@micronote/server-data';
import { checkUserId, CLOCK, isId } from '@micronote/server-data';
import { Inject, Injectable } from '@nestjs/common';

import { NoteAccess } from './note-access';
import { NoteShareErrors } from './note-shares.errors';
import type { NoteShareRow } from './note-shares.repository';
import { NoteSharesRepository } from './note-shares.repository';
import { NoteErrors } from './notes.errors';
import { NotesRepository } from './notes.repository';

const { maxPerNote, tokenBytes } = NOTE_LIMITS.shares;

/** A token as made here: base64url (no padding) of `tokenBytes` random bytes. */
const TOKEN_PATTERN = new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((tokenBytes * 4) / 3)}}$`);

/** The latest expiry a DATETIME column holds (a later one is refused, not clamped). */
const MAX_EXPIRY = Date.parse('9999-12-31T23:59:59.999Z');

/** What is stored of a token: its SHA-256 (a leaked table cannot be turned into working links). */
export const hashShareToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

const toShare = (row: NoteShareRow): notesV1.NoteShare => ({
  id: String(row.id),
  noteId: String(row.note_id),
  createdAt: row.created_at.toISOString(),
  expiresAt: row.expires_at ? row.expires_at.toISOString() : undefined,
});

/**
 * Public read-only links to a note. A link's token is 256 random bits (NOTE_LIMITS.shares.tokenBytes),
 * answered once, at creation; only its SHA-256 is stored. A link shows the note as it is now, while
 * it is neither revoked (its row deleted) nor expired, and the note is out of the trash; deleting
 * the note for good deletes its links (foreign key). Creating or revoking one is a NOTE_SHARED event.
 */
@Injectable()
export class NoteSharesService {
  constructor(
    private readonly shares: NoteSharesRepository,
    private readonly notes: NotesRepository,
    private readonly access: NoteAccess,
    private readonly feed: ChangeFeed,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(request: notesV1.CreateNoteShareRequest): Promise<notesV1.CreatedNoteShare> {
    const userId = checkUserId(request.userId);
    if (!isId(request.noteId)) throw NoteErrors.notFound();
    const now = this.clock.now();
    const expiresAt = request.expiresAt ? this.checkExpiry(request.expiresAt, now) : null;
    const token = randomBytes(tokenBytes).toString('base64url');
    const share = await this.notes.transaction(async (manager) => {
      // The note's row lock orders creates of one note, so the cap cannot be passed by a race.
      const { row: note } = await this.access.require(userId, request.noteId, 'owner', 'sharing links of this note', manager, true);
      if (note.deleted_at) throw NoteErrors.inTrash();
      await this.shares.pruneExpired(userId, request.noteId, now, manager);
      if ((await this.shares.countActive(userId, request.noteId, now, manager)) >= maxPerNote) throw NoteShareErrors.tooMany(maxPerNote);
      const id = await this.shares.insert(
        { noteId: request.noteId, userId, tokenHash: hashShareToken(token), createdAt: now, expiresAt },
        manager,
      );
      return toShare({ id, note_id: request.noteId, created_at: now, expires_at: expiresAt });
    });
    await this.announce(userId, request.noteId, request.clientId);
    return { share, token };
  }

  async list(request: notesV1.ListNoteSharesRequest): Promise<notesV1.ListNoteSharesResponse> {
    const userId = checkUserId(request.userId);
    await this.ownNote(userId, request.noteId);
    return { items: (await this.shares.listActive(userId, request.noteId, this.clock.now())).map(toShare) };
  }

  async delete(request: notesV1.DeleteNoteShareRequest): Promise<void> {
    const userId = checkUserId(request.userId);
    await this.ownNote(userId, request.noteId);
    if (!isId(request.shareId) || !(await this.shares.delete(userId, request.noteId, request.shareId))) throw NoteShareErrors.notFound();
    await this.announce(userId, request.noteId, request.clientId);
  }

  /** The note behind an active link, for anyone holding its token. */
  async getShared(request: notesV1.GetSharedNoteRequest): Promise<notesV1.SharedNote> {
    if (!TOKEN_PATTERN.test(request.token)) throw NoteShareErrors.linkGone();
    const row = await this.shares.findShared(hashShareToken(request.token), this.clock.now());
    if (!row) throw NoteShareErrors.linkGone();
    return { title: row.title, text: row.text, updatedAt: row.updated_at.toISOString() };
  }

  private checkExpiry(value: string, now: Date): Date {
    const time = Date.parse(value);
    if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(time)) throw NoteErrors.invalid('expiresAt must be an ISO-8601 date-time');
    if (time <= now.getTime()) throw NoteErrors.invalid('expiresAt must be in the future');
    if (time > MAX_EXPIRY) throw NoteErrors.invalid('expiresAt must be before the year 10000');
    return new Date(time);
  }

  /** Share links are the owner's: a member gets INSUFFICIENT_ROLE, anyone else NOTE_NOT_FOUND. */
  private async ownNote(userId: string, noteId: string): Promise<void> {
    await this.access.require(userId, noteId, 'owner', 'sharing links of this note');
  }

  private announce(userId: string, noteId: string, clientId: string): Promise<void> {
    return this.feed.changed(CacheScope.Notes, userId, { type: 'NOTE_SHARED', userId, noteId, ...withClient(clientId) });
  }
}
