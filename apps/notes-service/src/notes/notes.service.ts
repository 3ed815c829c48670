// jscpd:ignore-start -- import list: alike in the twins by design (tools/scripts/check-twins.mjs)
import { NOTE_LIMITS } from '@micronote/contracts';
import { CacheScope, ChangeFeed, ReadCache, withClient } from '@micronote/events';
import type { notesV1 } from '@micronote/proto';
import type { Clock } from '@micronote/server-data';
import {
  checkUserId,
  CLOCK,
  createOnce,
  cursorCodec,
  deleteAllOf,
  importKeyOf,
  importRows,
  inIdOrder,
  isId,
  isSqlTime,
  keysetPage,
  pageSize,
  requestKeyOf,
  sqlTime,
  utf8Bytes,
} from '@micronote/server-data';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { CollabService } from '../collab/collab.service';
import { mergeTexts } from '../collab/collab-text';
import type { Audience } from './note-access';
import { NoteAccess } from './note-access';
import { checkQuery, checkTag, checkText, checkTitle, normalizeTags, sameTag } from './note-input';
import { NoteMemberErrors } from './note-members.errors';
import { NoteMembersService } from './note-members.service';
import type { NoteContent } from './note-merge';
import { mergeNote, mergeTags } from './note-merge';
import type { RevisionRow, RevisionState } from './note-revisions.repository';
import { NoteRevisionsRepository, revisionTags, toRevision, toRevisionSummary } from './note-revisions.repository';
import { tickTask } from './note-tasks';
import { NoteErrors } from './notes.errors';
import type { ListAfter, NewNoteRow, NoteRow, SearchAfter } from './notes.repository';
import { noteBytes, NotesRepository, NoteState, toNote } from './notes.repository';
// jscpd:ignore-end

const CACHE_SCOPE = CacheScope.Notes;
const EXPORT_BATCH = 500;

function isListAfter(values: unknown[]): values is [boolean, string, string] {
  const [pinned, updatedAt, id] = values;
  return values.length === 3 && typeof pinned === 'boolean' && isSqlTime(updatedAt) && isId(id);
}

function isSearchAfter(values: unknown[]): values is [number, string] {
  const [score, id] = values;
  return values.length === 2 && typeof score === 'number' && Number.isFinite(score) && isId(id);
}

/** What a note adds to a list page: its text plus room for the other fields. */
const pageBytes = (row: NoteRow) => noteBytes(row) + 200;

const isRevisionAfter = (values: unknown[]): values is [number] =>
  values.length === 1 && Number.isInteger(values[0]) && (values[0] as number) > 0;

/** A note row's title, text and tags (parsed) at its version, as a revision keeps them. */
const stateOf = (row: NoteRow): RevisionState => ({
  version: Number(row.version),
  title: row.title,
  text: row.text,
  tags: toNote(row).tags,
  at: row.updated_at,
});

const contentOf = (row: NoteRow | RevisionRow): NoteContent => ({
  title: row.title,
  text: row.text,
  tags: typeof row.tags === 'string' ? (JSON.parse(row.tags) as string[]) : row.tags,
});

const listCursor = (last: NoteRow) => cursorCodec.encode('l', [Boolean(last.is_pinned), sqlTime(last.updated_at), String(last.id)]);
const searchCursor = (last: NoteRow) => cursorCodec.encode('s', [Number(last.score), String(last.id)]);

/** How an internal caller (a tag rename) may update beyond what a client's PATCH may. */
export interface UpdateOptions {
  /** Also a note in the trash (a tag rename renames it there too); a PATCH may not. */
  inTrash?: boolean;
}

@Injectable()
export class NotesService {
  // jscpd:ignore-start -- constructor injection: the same collaborators in both twins
  constructor(
    private readonly repo: NotesRepository,
    private readonly revisions: NoteRevisionsRepository,
    private readonly cache: ReadCache,
    private readonly feed: ChangeFeed,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: NoteAccess,
    private readonly memberships: NoteMembersService,
    private readonly collab: CollabService,
  ) {}
  // jscpd:ignore-end

  async create(request: notesV1.CreateNoteRequest): Promise<notesV1.Note> {
    const userId = checkUserId(request.userId);
    const now = this.clock.now();
    const tags = normalizeTags(request.tags);
    const row: NewNoteRow = {
      title: checkTitle(request.title),
      text: checkText(request.text),
      tags,
      is_pinned: request.isPinned ? 1 : 0,
      is_archived: 0,
      version: 1,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    // With an Idempotency-Key the row carries its hash (unique per user): a repeated create finds
    // the note the first one made, even if that first answer never reached the gateway.
    const requestKey = requestKeyOf(request.idempotencyKey);
    // The note, its tags and its share of the user's quota commit together; over quota, nothing does.
    const created = await createOnce(this.repo, userId, requestKey, async (manager) => {
      const noteId = await this.repo.insert(userId, row, requestKey, manager);
      if (noteId === null) return null;
      await this.repo.insertTags(userId, noteId, tags, manager);
      await this.revisions.first(noteId, stateOf({ ...row, id: noteId, user_id: userId }), request.clientId, manager);
      await this.repo.usage.add(userId, { items: 1, bytes: noteBytes(row) }, manager);
      return noteId;
    });
    if ('earlier' in created) return toNote(created.earlier);
    const inserted: NoteRow = { ...row, id: created.id, user_id: userId, members: 0 };
    await this.announce('NOTE_CREATED', request, inserted);
    return toNote(inserted);
  }

  /** The note for its owner or an accepted member (with `access`); anyone else NOTE_NOT_FOUND. */
  async get(userId: string, id: string): Promise<notesV1.Note> {
    checkUserId(userId);
    const { row, role } = await this.access.require(userId, id, 'read', 'reading this note');
    return toNote(row, role);
  }

  /**
   * A partial update. A stale `version` is a conflict (with the stored note); a change bumps the
   * version by one and sets updatedAt; an update that changes nothing changes nothing.
   * With `baseVersion` older than the stored version, the edit (the fields sent; the others as
   * they were at the base) is three-way merged into the stored note against the revision at that
   * version: the answer then has `merged` set, or overlapping edits are MERGE_CONFLICT. A base no
   * longer kept, or newer than the note, is NOTE_VERSION_CONFLICT (nothing to merge against).
   * A note edited live (it has a document) first gets its live edits as a version (checkpoint), and
   * its PATCH is never refused: `version` counts as `baseVersion`, and text edits overlapping the
   * live ones are merged by character (mergeTexts); the result goes into the document.
   */
  async update(request: notesV1.UpdateNoteRequest, options: UpdateOptions = {}): Promise<notesV1.Note> {
    const userId = checkUserId(request.userId);
    if (!isId(request.id)) throw NoteErrors.notFound();
    if (request.version !== undefined && request.baseVersion !== undefined)
      throw NoteErrors.invalid('send version or baseVersion, not both');
    // Input is checked before anything is locked.
    const title = request.title !== undefined ? checkTitle(request.title) : undefined;
    const text = request.text !== undefined ? checkText(request.text) : undefined;
    const tags = request.tags ? normalizeTags(request.tags.tags) : undefined;
    const {
      row: saved,
      role,
      changed,
      merged,
    } = await this.collab.transaction(async (manager) => {
      const { row: locked, role } = await this.access.require(userId, request.id, 'edit', 'editing this note', manager, true);
      // Pinning and archiving are the owner's own organisation of their notes.
      if (role !== 'owner' && (request.isPinned !== undefined || request.isArchived !== undefined))
        throw NoteMemberErrors.insufficientRole('pinning or archiving this note');
      const live = await this.collab.docState(locked.id, manager);
      // The version a REST client holds is a kept revision (the merge base), never the live text.
      const row = live?.dirty && !locked.deleted_at ? await this.checkpointLocked(locked, manager) : locked;
      const baseVersion = live ? (request.baseVersion ?? request.version) : request.baseVersion;
      if (!live && request.version !== undefined && request.version !== Number(row.version)) throw NoteErrors.versionConflict(toNote(row));
      if (row.deleted_at && !options.inTrash) throw NoteErrors.inTrash();
      const stored = toNote(row);
      const next: NoteRow = { ...row, tags: stored.tags };
      let merging = false;
      if (baseVersion !== undefined && baseVersion !== Number(row.version)) {
        const content = await this.merged(row, baseVersion, { title, text, tags }, manager, Boolean(live));
        Object.assign(next, content);
        merging = true;
      } else {
        if (title !== undefined) next.title = title;
        if (text !== undefined) next.text = text;
        if (tags) next.tags = tags;
      }
      if (request.isPinned !== undefined) next.is_pinned = request.isPinned ? 1 : 0;
      if (request.isArchived !== undefined) next.is_archived = request.isArchived ? 1 : 0;
      const isChanged =
        JSON.stringify(next.tags) !== JSON.stringify(stored.tags) ||
        next.title !== row.title ||
        next.text !== row.text ||
        next.is_pinned !== Number(row.is_pinned) ||
        next.is_archived !== Number(row.is_archived);
      // A checkpoint of live edits is a change of its own.
      if (!isChanged) return { row, role, changed: row !== locked, merged: merging };
      return { row: await this.saveNextVersion(row, next, request.clientId, manager), role, changed: true, merged: merging };
    });
    if (changed) {
      await this.announce('NOTE_UPDATED', request, saved);
    }
    const note = toNote(saved, role);
    return merged ? { ...note, merged: true } : note;
  }

  /**
   * The content of a `baseVersion` edit merged into the stored `row`: the fields sent are mine,
   * the stored note theirs, the revision at baseVersion the base.
   */
  private async merged(
    row: NoteRow,
    baseVersion: number,
    edit: Partial<NoteContent>,
    manager: EntityManager,
    live = false,
  ): Promise<NoteContent> {
    const current = toNote(row);
    if (baseVersion > Number(row.version))
      throw NoteErrors.versionConflict(
        current,
        `baseVersion ${baseVersion} is newer than the note (version ${row.version}); see \`current\``,
      );
    const revision = await this.revisions.at(row.id, baseVersion, manager);
    // A live note's edit whose base is gone: the fields sent win (its text through the document's diff).
    if (!revision && live) return { title: edit.title ?? row.title, text: edit.text ?? row.text, tags: edit.tags ?? current.tags };
    if (!revision)
      throw NoteErrors.versionConflict(current, `version ${baseVersion} is no longer kept, so the edit cannot be merged; see \`current\``);
    const base = contentOf(revision);
    const mine: NoteContent = { title: edit.title ?? base.title, text: edit.text ?? base.text, tags: edit.tags ?? base.tags };
    const theirs = contentOf(row);
    const outcome = mergeNote(base, mine, theirs, sameTag);
    if (outcome.conflicts && live)
      return {
        title: mine.title !== base.title ? mine.title : theirs.title,
        text: mergeTexts(base.text, mine.text, theirs.text),
        tags: normalizeTags(mergeTags(base.tags, mine.tags, theirs.tags, sameTag)),
      };
    if (outcome.conflicts) {
      const baseNote = { ...current, ...base, version: baseVersion, updatedAt: revision.created_at.toISOString() };
      throw NoteErrors.mergeConflict(current, baseNote, outcome.conflicts);
    }
    // Both sides' tags together may pass the limits: the same 400 as an edit sending them.
    return { ...outcome.merged, tags: normalizeTags(outcome.merged.tags) };
  }

  /** `next` as the note's next version, changed now, written by saveChange: the row to answer. */
  private async saveNextVersion(row: NoteRow, next: NoteRow, clientId: string, manager: EntityManager): Promise<NoteRow> {
    next.version = Number(row.version) + 1;
    next.updated_at = this.clock.now();
    await this.saveChange(row, next, clientId, manager);
    return next;
  }

  /**
   * The one write of a changed note (update, tick, revision restore, trash and restore): its
   * share of the byte quota, the row, its tags and, when its title, text or tags changed, its
   * revision, all in the caller's transaction. Every path that changes a note goes through here,
   * so none can skip its revision. Whoever makes the change (the owner or an editor), it is the
   * owner's note: their quota, their tags.
   */
  private async saveChange(row: NoteRow, next: NoteRow, clientId: string, manager: EntityManager): Promise<void> {
    const userId = String(row.user_id);
    const previous = stateOf(row);
    const tagsChanged = JSON.stringify(next.tags) !== JSON.stringify(previous.tags);
    // A note that grows takes more of the byte quota (checked under the user's usage lock).
    await this.repo.usage.add(userId, { items: 0, bytes: noteBytes(next) - noteBytes(row) }, manager);
    await this.repo.update(userId, next, manager);
    if (tagsChanged) await this.repo.replaceTags(userId, row.id, next.tags as string[], manager);
    // A note edited live: the text goes into its document too (relayed after commit), and live
    // edits no version had yet (the row's text already is the live text) get this revision.
    const live = await this.collab.textSaved(row.id, next.text, userId, manager);
    if (live.wasDirty || tagsChanged || next.title !== row.title || next.text !== row.text)
      await this.revisions.record(row.id, previous, stateOf(next), clientId, manager);
  }

  /** The live edits of a locked note as a new version (its revision), in the caller's transaction; answers the new row. */
  private checkpointLocked(row: NoteRow, manager: EntityManager): Promise<NoteRow> {
    return this.saveNextVersion(row, { ...row, tags: toNote(row).tags }, '', manager);
  }

  /**
   * The checkpoint job's pass over one note (CollabCheckpointer): when its document is still dirty
   * and due, and no other transaction holds it, its live edits become a version with the usual
   * NOTE_UPDATED to the owner and every member. Answers whether it did.
   */
  async checkpoint(noteId: string, idleBefore: Date, dirtyBefore: Date): Promise<boolean> {
    const saved = await this.collab.transaction(async (manager) => {
      const ownerId = await this.collab.lockDue(noteId, idleBefore, dirtyBefore, manager);
      const row = ownerId ? await this.repo.findAny(noteId, manager, true) : undefined;
      if (!row || row.deleted_at) return undefined;
      return this.checkpointLocked(row, manager);
    });
    if (saved) await this.announce('NOTE_UPDATED', { clientId: '' }, saved);
    return Boolean(saved);
  }

  /**
   * Ticks (or unticks) the task item with `text`, nearest `index` (see tickTask), under the
   * note's row lock: a concurrent edit waits for it and sees it (or merges with it), so neither
   * is lost. No version needed; a tick that changes nothing answers the note as it is.
   */
  async tick(request: notesV1.TickTaskRequest): Promise<notesV1.Note> {
    checkUserId(request.userId);
    if (!isId(request.id)) throw NoteErrors.notFound();
    if (!Number.isInteger(request.index) || request.index < 0) throw NoteErrors.invalid('index must be a non-negative integer');
    if (request.text.trim().length === 0) throw NoteErrors.invalid('text must not be blank');
    checkText(request.text);
    return this.changeLocked(request, async (row) => {
      const outcome = tickTask(row.text, request);
      if (!outcome.found) throw NoteErrors.taskNotFound();
      return { text: outcome.text };
    });
  }

  /**
   * A change of one note's title, text or tags made from the note as stored, under its row lock
   * (tick, revision restore): `change` gets the locked row (neither missing nor trashed) and
   * answers the fields it sets. A change to the same content changes nothing; a real one is a new
   * version (saveChange: its revision too) and a NOTE_UPDATED.
   */
  private async changeLocked(
    request: { userId: string; id: string; clientId: string },
    change: (row: NoteRow, manager: EntityManager) => Promise<Partial<NoteContent>>,
  ): Promise<notesV1.Note> {
    const { saved, role, changed } = await this.collab.transaction(async (manager) => {
      const { row, role } = await this.access.require(request.userId, request.id, 'edit', 'editing this note', manager, true);
      if (row.deleted_at) throw NoteErrors.inTrash();
      const stored = toNote(row);
      const next: NoteRow = { ...row, tags: stored.tags, ...(await change(row, manager)) };
      if (next.title === row.title && next.text === row.text && JSON.stringify(next.tags) === JSON.stringify(stored.tags))
        return { saved: row, role, changed: false };
      return { saved: await this.saveNextVersion(row, next, request.clientId, manager), role, changed: true };
    });
    if (changed) await this.announce('NOTE_UPDATED', request, saved);
    return toNote(saved, role);
  }

  /** The note's revisions, newest first, in keyset pages. */
  async listRevisions(request: notesV1.ListRevisionsRequest): Promise<notesV1.ListRevisionsResponse> {
    const userId = checkUserId(request.userId);
    const limit = pageSize(request.limit, { min: 1, max: NOTE_LIMITS.revisions.pageSize, default: NOTE_LIMITS.revisions.pageSize });
    const before = request.cursor ? cursorCodec.decode('r', request.cursor, isRevisionAfter)[0] : undefined;
    await this.access.require(userId, request.id, 'read', 'reading this note');
    const rows = await this.revisions.page(request.id, before, limit + 1);
    return keysetPage(rows, limit, {
      sizeOf: (row) => utf8Bytes(row.title) + 100,
      toItem: toRevisionSummary,
      cursorAfter: (last) => cursorCodec.encode('r', [Number(last.version)]),
    });
  }

  /** The note's title, text and tags at `version` (any version up to the current one whose state is kept). */
  async getRevision(request: notesV1.GetRevisionRequest): Promise<notesV1.NoteRevision> {
    const userId = checkUserId(request.userId);
    const { row } = await this.access.require(userId, request.id, 'read', 'reading this note');
    const revision = await this.revisionAt(row, request.version);
    return toRevision(revision, request.version);
  }

  /**
   * Makes the title, text and tags of the revision at `version` the note's again: a new version
   * (its own revision; the state it replaced stays a revision too) and the usual NOTE_UPDATED.
   * Restoring the state the note has changes nothing.
   */
  async restoreRevision(request: notesV1.RestoreRevisionRequest): Promise<notesV1.Note> {
    checkUserId(request.userId);
    if (!isId(request.id)) throw NoteErrors.notFound();
    return this.changeLocked(request, async (row, manager) => {
      const revision = await this.revisionAt(row, request.version, manager);
      return { title: revision.title, text: revision.text, tags: revisionTags(revision) };
    });
  }

  /** The revision holding `row`'s state at `version`, or REVISION_NOT_FOUND. */
  private async revisionAt(row: NoteRow, version: number, manager?: EntityManager): Promise<RevisionRow> {
    const revision =
      Number.isInteger(version) && version >= 1 && version <= Number(row.version)
        ? await this.revisions.at(row.id, version, manager)
        : undefined;
    if (!revision) throw NoteErrors.revisionNotFound();
    return revision;
  }

  /** To the trash (idempotent), or gone for good when `permanent`. */
  async delete(request: notesV1.DeleteNoteRequest): Promise<void> {
    checkUserId(request.userId);
    if (!isId(request.id)) throw NoteErrors.notFound();
    let trashed: NoteRow | undefined;
    let audience: Audience[];
    if (request.permanent) {
      // The members are read before the rows go (their note_members rows cascade with the note).
      const { row } = await this.access.require(request.userId, request.id, 'owner', 'deleting this note');
      audience = await this.access.audience(row);
      if (!(await this.repo.deletePermanently(request.userId, request.id))) throw NoteErrors.notFound();
    } else {
      const result = await this.setTrashed(request.userId, request.id, true);
      if (!result.changed) return;
      trashed = result.row;
      audience = await this.access.audience(trashed);
    }
    // A trashed note is gone for its members (404) until the owner restores it: NOTE_DELETED to all.
    await this.feed.changedFor(
      CACHE_SCOPE,
      audience.map((a) => a.userId),
      (userId) => ({
        type: 'NOTE_DELETED',
        userId,
        noteId: request.id,
        ...(trashed && userId === request.userId && { note: toNote(trashed) }),
        ...withClient(request.clientId),
      }),
    );
  }

  async restore(request: notesV1.RestoreNoteRequest): Promise<notesV1.Note> {
    checkUserId(request.userId);
    if (!isId(request.id)) throw NoteErrors.notFound();
    const { row, changed } = await this.setTrashed(request.userId, request.id, false);
    if (changed) {
      await this.announce('NOTE_UPDATED', request, row);
    }
    return toNote(row);
  }

  /** To the trash or out of it: the owner's own organisation (a member gets INSUFFICIENT_ROLE). */
  private setTrashed(userId: string, id: string, trashed: boolean): Promise<{ row: NoteRow; changed: boolean }> {
    return this.collab.transaction(async (manager) => {
      const action = trashed ? 'moving this note to the trash' : 'restoring this note';
      const { row } = await this.access.require(userId, id, 'owner', action, manager, true);
      if (Boolean(row.deleted_at) === trashed) return { row, changed: false };
      const now = this.clock.now();
      const next: NoteRow = {
        ...row,
        tags: toNote(row).tags,
        version: Number(row.version) + 1,
        updated_at: now,
        deleted_at: trashed ? now : null,
      };
      await this.saveChange(row, next, '', manager);
      return { row: next, changed: true };
    });
  }

  async list(request: notesV1.ListNotesRequest): Promise<notesV1.ListNotesResponse> {
    const userId = checkUserId(request.userId);
    const limit = pageSize(request.limit, NOTE_LIMITS.pageSize);
    const state = request.trashed ? NoteState.Trashed : request.archived ? NoteState.Archived : NoteState.Active;
    const q = checkQuery(request.q);
    const tag = request.tag.trim() ? checkTag(request.tag.trim()) : undefined;
    // List pages are cached at the gateway (the edge), under this service's cache version.
    if (q) {
      const after = request.cursor ? cursorCodec.decode('s', request.cursor, isSearchAfter) : undefined;
      const searchAfter: SearchAfter | undefined = after && { score: after[0], id: after[1] };
      const rows = await this.repo.search({ userId, state, q, tag, pinned: request.pinned, limit: limit + 1, after: searchAfter });
      return keysetPage(rows, limit, { sizeOf: pageBytes, toItem: toNote, cursorAfter: searchCursor });
    }
    const after = request.cursor ? cursorCodec.decode('l', request.cursor, isListAfter) : undefined;
    const listAfter: ListAfter | undefined = after && { pinned: after[0], updatedAt: after[1], id: after[2] };
    const rows = await this.repo.list({ userId, state, tag, pinned: request.pinned, limit: limit + 1, after: listAfter });
    return keysetPage(rows, limit, { sizeOf: pageBytes, toItem: toNote, cursorAfter: listCursor });
  }

  listTags(userId: string): Promise<notesV1.ListTagsResponse> {
    checkUserId(userId);
    return this.cache.read(CACHE_SCOPE, userId, ['tags'], async () => ({ items: await this.repo.tagCounts(userId) }));
  }

  stats(userId: string): Promise<notesV1.NoteStats> {
    checkUserId(userId);
    return this.cache.read(CACHE_SCOPE, userId, ['stats'], () => this.repo.stats(userId));
  }

  /** Every note of the user, in batches, oldest id first. */
  async *export(userId: string): AsyncGenerator<notesV1.Note> {
    checkUserId(userId);
    yield* inIdOrder((afterId, limit) => this.repo.exportBatch(userId, afterId, limit), toNote, EXPORT_BATCH);
  }

  /**
   * Imports exported notes. A note is skipped when this user already has it: imported before
   * (same source id and creation time) or the very note the document was exported from.
   *
   * Quota: an import whose new notes would go over the user's quota is refused whole (403
   * QUOTA_EXCEEDED, nothing written). The new notes are then written in batches
   * (IMPORT_BATCH_ROWS / IMPORT_BATCH_BYTES), one short transaction each, which also takes its
   * share of the quota under the usage lock, and each batch's events go out after its commit.
   * If a batch fails (a parallel write took the last of the quota, the database went away), the
   * batches before it stay committed and announced; the call fails, and running the same import
   * again skips what is there and writes the rest.
   */
  async import(request: notesV1.ImportNotesRequest): Promise<notesV1.ImportNotesResponse> {
    const userId = checkUserId(request.userId);
    const prepared = request.notes.map((note) => {
      const createdAt = new Date(note.createdAt);
      const updatedAt = new Date(note.updatedAt || note.createdAt);
      if (Number.isNaN(createdAt.getTime()) || Number.isNaN(updatedAt.getTime()))
        throw NoteErrors.invalid('createdAt and updatedAt must be ISO-8601 times');
      const deletedAt = note.deletedAt ? new Date(note.deletedAt) : null;
      if (deletedAt && Number.isNaN(deletedAt.getTime())) throw NoteErrors.invalid('deletedAt must be an ISO-8601 time');
      if (!note.id || note.id.length > 40) throw NoteErrors.invalid('every imported note needs its id (at most 40 characters)');
      const row: NewNoteRow = {
        title: checkTitle(note.title),
        text: checkText(note.text),
        tags: normalizeTags(note.tags),
        is_pinned: note.isPinned ? 1 : 0,
        is_archived: note.isArchived ? 1 : 0,
        version: 1,
        created_at: createdAt,
        updated_at: updatedAt,
        deleted_at: deletedAt,
      };
      return { key: importKeyOf(note.id, createdAt), sourceId: note.id, row, bytes: noteBytes(row) };
    });
    return importRows(this.repo, userId, prepared, {
      sizeOf: (item) => item.bytes,
      insert: async (batch, manager) => {
        const inserted = await this.repo.insertImportedNotes(userId, batch, manager);
        const rows = new Map(batch.map((item) => [item.key, item.row]));
        const firsts = inserted.map(({ id, key }) => ({
          noteId: id,
          state: stateOf({ ...(rows.get(key) as NewNoteRow), id, user_id: userId }),
        }));
        await this.revisions.imported(firsts, manager);
        return inserted;
      },
      toMessage: toNote,
      committed: async (notes) => {
        const events = notes.map((note) => ({
          type: 'NOTE_CREATED' as const,
          userId: request.userId,
          noteId: note.id,
          note,
        }));
        await this.feed.changed(CACHE_SCOPE, request.userId, ...events);
      },
    });
  }

  /**
   * After a committed change of one note: stale caches and the event for the tabs of its owner
   * and of every accepted member (each copy of the note with that recipient's `access`).
   */
  private async announce(type: 'NOTE_CREATED' | 'NOTE_UPDATED', request: { clientId: string }, row: NoteRow): Promise<void> {
    const audience = await this.access.audience(row);
    const roles = new Map(audience.map((a) => [a.userId, a.role]));
    await this.feed.changedFor(CACHE_SCOPE, [...roles.keys()], (userId) => ({
      type,
      userId,
      noteId: String(row.id),
      note: toNote(row, roles.get(userId)),
      ...withClient(request.clientId),
    }));
  }

  /** Removes every note of the user and their memberships in others' notes (account deletion); safe to repeat. */
  async deleteAllOfUser(userId: string): Promise<number> {
    await this.memberships.forgetUser(checkUserId(userId));
    return deleteAllOf(this.repo, checkUserId(userId), () => this.cache.invalidate(CACHE_SCOPE, userId));
  }
}
