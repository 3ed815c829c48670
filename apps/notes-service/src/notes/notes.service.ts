import { NOTE_LIMITS } from '@micronote/contracts';
import { CacheScope, ChangeFeed, ReadCache, withClient } from '@micronote/events';
import type { notesV1 } from '@micronote/proto';
import type { Clock } from '@micronote/server-core';
import { batchesOf, CLOCK, cursorCodec, fitsInPage, requestKeyOf } from '@micronote/server-core';
import { Inject, Injectable } from '@nestjs/common';

import { checkText, checkTitle, isNoteId, normalizeTags, pageSize } from './note-input';
import { NoteErrors } from './notes.errors';
import type { ListAfter, NoteRow, SearchAfter } from './notes.repository';
import { noteBytes, NotesRepository, NoteState, toNote } from './notes.repository';

const CACHE_SCOPE = CacheScope.Notes;

function isListAfter(values: unknown[]): values is [boolean, string, string] {
  const [pinned, updatedAt, id] = values;
  return (
    values.length === 3 &&
    typeof pinned === 'boolean' &&
    typeof updatedAt === 'string' &&
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/.test(updatedAt) &&
    typeof id === 'string' &&
    isNoteId(id)
  );
}

function isSearchAfter(values: unknown[]): values is [number, string] {
  const [score, id] = values;
  return values.length === 2 && typeof score === 'number' && Number.isFinite(score) && typeof id === 'string' && isNoteId(id);
}

/** What a note adds to a list page: its text plus room for the other fields. */
const pageBytes = (row: NoteRow) => noteBytes(row) + 200;

function sqlTimeOf(iso: string): string {
  return iso.replace('T', ' ').replace('Z', '');
}

@Injectable()
export class NotesService {
  constructor(
    private readonly repo: NotesRepository,
    private readonly cache: ReadCache,
    private readonly feed: ChangeFeed,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(request: notesV1.CreateNoteRequest): Promise<notesV1.Note> {
    const now = this.clock.now();
    const tags = normalizeTags(request.tags);
    const row: Omit<NoteRow, 'id' | 'user_id'> = {
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
    const id = await this.repo.transaction(async (manager) => {
      const noteId = await this.repo.insert(manager, request.userId, row, requestKey);
      if (noteId === null) return null;
      await this.repo.insertTags(manager, request.userId, noteId, tags);
      await this.repo.usage.add(manager, request.userId, { items: 1, bytes: noteBytes(row) });
      return noteId;
    });
    if (id === null) {
      const first = requestKey ? await this.repo.findByImportKey(request.userId, requestKey) : undefined;
      if (!first) throw new Error('a create with an Idempotency-Key inserted nothing and found no earlier note');
      return toNote(first);
    }
    const note = toNote({ ...row, id, user_id: request.userId });
    await this.announce('NOTE_CREATED', request, note);
    return note;
  }

  async get(userId: string, id: string): Promise<notesV1.Note> {
    const row = isNoteId(id) ? await this.repo.find(userId, id) : undefined;
    if (!row) throw NoteErrors.notFound();
    return toNote(row);
  }

  async update(request: notesV1.UpdateNoteRequest): Promise<notesV1.Note> {
    if (!isNoteId(request.id)) throw NoteErrors.notFound();
    const { note, changed } = await this.repo.transaction(async (manager) => {
      const row = await this.repo.findForUpdate(manager, request.userId, request.id);
      if (!row) throw NoteErrors.notFound();
      if (request.version !== undefined && request.version !== Number(row.version)) throw NoteErrors.versionConflict(toNote(row));
      if (row.deleted_at) throw NoteErrors.inTrash();
      const next: NoteRow = { ...row, tags: toNote(row).tags };
      if (request.title !== undefined) next.title = checkTitle(request.title);
      if (request.text !== undefined) next.text = checkText(request.text);
      if (request.isPinned !== undefined) next.is_pinned = request.isPinned ? 1 : 0;
      if (request.isArchived !== undefined) next.is_archived = request.isArchived ? 1 : 0;
      const tags = request.tags ? normalizeTags(request.tags.tags) : undefined;
      if (tags) next.tags = tags;
      const tagsChanged = tags !== undefined && JSON.stringify(tags) !== JSON.stringify(toNote(row).tags);
      const isChanged =
        tagsChanged ||
        next.title !== row.title ||
        next.text !== row.text ||
        next.is_pinned !== Number(row.is_pinned) ||
        next.is_archived !== Number(row.is_archived);
      if (!isChanged) return { note: toNote(row), changed: false };
      next.version = Number(row.version) + 1;
      next.updated_at = this.clock.now();
      // A note that grows takes more of the byte quota (checked under the user's usage lock).
      await this.repo.usage.add(manager, request.userId, { items: 0, bytes: noteBytes(next) - noteBytes(row) });
      await this.repo.update(manager, next);
      if (tagsChanged) await this.repo.replaceTags(manager, request.userId, row.id, next.tags as string[]);
      return { note: toNote(next), changed: true };
    });
    if (changed) {
      await this.announce('NOTE_UPDATED', request, note);
    }
    return note;
  }

  /** To the trash (idempotent), or gone for good when `permanent`. */
  async delete(request: notesV1.DeleteNoteRequest): Promise<void> {
    if (!isNoteId(request.id)) throw NoteErrors.notFound();
    let trashed: notesV1.Note | undefined;
    if (request.permanent) {
      if (!(await this.repo.deletePermanently(request.userId, request.id))) throw NoteErrors.notFound();
    } else {
      const result = await this.setTrashed(request.userId, request.id, true);
      if (!result.changed) return;
      trashed = result.note;
    }
    await this.feed.changed(CACHE_SCOPE, request.userId, {
      type: 'NOTE_DELETED',
      userId: request.userId,
      noteId: request.id,
      ...(trashed && { note: trashed }),
      ...withClient(request.clientId),
    });
  }

  async restore(request: notesV1.RestoreNoteRequest): Promise<notesV1.Note> {
    if (!isNoteId(request.id)) throw NoteErrors.notFound();
    const { note, changed } = await this.setTrashed(request.userId, request.id, false);
    if (changed) {
      await this.announce('NOTE_UPDATED', request, note);
    }
    return note;
  }

  private setTrashed(userId: string, id: string, trashed: boolean): Promise<{ note: notesV1.Note; changed: boolean }> {
    return this.repo.transaction(async (manager) => {
      const row = await this.repo.findForUpdate(manager, userId, id);
      if (!row) throw NoteErrors.notFound();
      if (Boolean(row.deleted_at) === trashed) return { note: toNote(row), changed: false };
      const now = this.clock.now();
      const next: NoteRow = {
        ...row,
        tags: toNote(row).tags,
        version: Number(row.version) + 1,
        updated_at: now,
        deleted_at: trashed ? now : null,
      };
      await this.repo.update(manager, next);
      return { note: toNote(next), changed: true };
    });
  }

  async list(request: notesV1.ListNotesRequest): Promise<notesV1.ListNotesResponse> {
    const limit = pageSize(request.limit);
    const state = request.trashed ? NoteState.Trashed : request.archived ? NoteState.Archived : NoteState.Active;
    const q = request.q.trim();
    const tag = request.tag.trim() || undefined;
    if (q.length > 200) throw NoteErrors.invalid('q must be at most 200 characters');
    if (tag && tag.length > NOTE_LIMITS.tags.max) throw NoteErrors.invalid(`tag must be at most ${NOTE_LIMITS.tags.max} characters`);
    // List pages are cached at the gateway (the edge), under this service's cache version.
    if (q) {
      const after = request.cursor ? cursorCodec.decode('s', request.cursor, isSearchAfter) : undefined;
      const searchAfter: SearchAfter | undefined = after && { score: after[0], id: after[1] };
      const rows = await this.repo.search({
        userId: request.userId,
        state,
        q,
        tag,
        pinned: request.pinned,
        limit: limit + 1,
        after: searchAfter,
      });
      const page = rows.slice(0, Math.min(limit, fitsInPage(rows, pageBytes)));
      const last = page[page.length - 1];
      return {
        items: page.map(toNote),
        nextCursor: rows.length > page.length ? cursorCodec.encode('s', [Number(last.score), String(last.id)]) : undefined,
      };
    }
    const after = request.cursor ? cursorCodec.decode('l', request.cursor, isListAfter) : undefined;
    const listAfter: ListAfter | undefined = after && { pinned: after[0], updatedAt: after[1], id: after[2] };
    const rows = await this.repo.list({ userId: request.userId, state, tag, pinned: request.pinned, limit: limit + 1, after: listAfter });
    // A page of large notes comes back shorter (PAGE_MAX_BYTES), never over the gRPC message limit.
    const page = rows.slice(0, Math.min(limit, fitsInPage(rows, pageBytes)));
    const last = page[page.length - 1];
    return {
      items: page.map(toNote),
      nextCursor:
        rows.length > page.length
          ? cursorCodec.encode('l', [Boolean(last.is_pinned), sqlTimeOf(last.updated_at.toISOString()), String(last.id)])
          : undefined,
    };
  }

  listTags(userId: string): Promise<notesV1.ListTagsResponse> {
    return this.cache.read(CACHE_SCOPE, userId, ['tags'], async () => ({ items: await this.repo.tagCounts(userId) }));
  }

  stats(userId: string): Promise<notesV1.NoteStats> {
    return this.cache.read(CACHE_SCOPE, userId, ['stats'], () => this.repo.stats(userId));
  }

  /** Every note of the user, in batches, oldest id first. */
  async *export(userId: string): AsyncGenerator<notesV1.Note> {
    let afterId = '0';
    for (;;) {
      const rows = await this.repo.exportBatch(userId, afterId, 500);
      for (const row of rows) yield toNote(row);
      if (rows.length < 500) return;
      afterId = String(rows[rows.length - 1].id);
    }
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
    const prepared = request.notes.map((note) => {
      const createdAt = new Date(note.createdAt);
      const updatedAt = new Date(note.updatedAt || note.createdAt);
      if (Number.isNaN(createdAt.getTime()) || Number.isNaN(updatedAt.getTime()))
        throw NoteErrors.invalid('createdAt and updatedAt must be ISO-8601 times');
      const deletedAt = note.deletedAt ? new Date(note.deletedAt) : null;
      if (deletedAt && Number.isNaN(deletedAt.getTime())) throw NoteErrors.invalid('deletedAt must be an ISO-8601 time');
      if (!note.id || note.id.length > 40) throw NoteErrors.invalid('every imported note needs its id (at most 40 characters)');
      const row: Omit<NoteRow, 'id' | 'user_id'> = {
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
      return { key: `${note.id}:${createdAt.toISOString()}`, sourceId: note.id, row, bytes: noteBytes(row) };
    });
    const originals = prepared
      .filter((p) => isNoteId(p.sourceId))
      .map((p) => ({ id: p.sourceId, createdAt: p.row.created_at.toISOString() }));
    const existing = await this.repo.existingImports(
      request.userId,
      prepared.map((p) => p.key),
      originals,
    );
    const seen = new Set<string>();
    const fresh = prepared.filter((item) => {
      if (existing.has(item.key) || seen.has(item.key)) return false;
      seen.add(item.key);
      return true;
    });
    const needed = { items: fresh.length, bytes: fresh.reduce((sum, item) => sum + item.bytes, 0) };
    this.repo.usage.check(await this.repo.usage.read(this.repo.manager, request.userId), needed);
    let created = 0;
    for (const batch of batchesOf(fresh, (item) => item.bytes)) {
      const notes = await this.repo.transaction(async (manager) => {
        const inserted = await this.repo.insertImported(manager, request.userId, batch);
        const byKey = new Map(batch.map((item) => [item.key, item]));
        const rows = inserted.map(({ id, key }) => ({ ...(byKey.get(key) as (typeof batch)[number]).row, id, user_id: request.userId }));
        await this.repo.usage.add(manager, request.userId, {
          items: rows.length,
          bytes: rows.reduce((sum, row) => sum + noteBytes(row), 0),
        });
        return rows.map(toNote);
      });
      created += notes.length;
      if (notes.length > 0) {
        const events = notes.map((note) => ({
          type: 'NOTE_CREATED' as const,
          userId: request.userId,
          noteId: note.id,
          note,
        }));
        await this.feed.changed(CACHE_SCOPE, request.userId, ...events);
      }
    }
    return { created, skipped: prepared.length - created };
  }

  /** After a committed change of one note: stale cache for the user, and the event for their tabs. */
  private announce(
    type: 'NOTE_CREATED' | 'NOTE_UPDATED',
    request: { userId: string; clientId: string },
    note: notesV1.Note,
  ): Promise<void> {
    return this.feed.changed(CACHE_SCOPE, request.userId, {
      type,
      userId: request.userId,
      noteId: note.id,
      note,
      ...withClient(request.clientId),
    });
  }

  /** Removes every note of the user (account deletion); safe to repeat. */
  async deleteAllOfUser(userId: string): Promise<number> {
    let deleted = 0;
    for (let batch = await this.repo.deleteUserBatch(userId, 5_000); batch > 0; batch = await this.repo.deleteUserBatch(userId, 5_000))
      deleted += batch;
    await this.cache.invalidate(CACHE_SCOPE, userId);
    return deleted;
  }
}
