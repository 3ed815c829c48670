import type { AccessRole } from '@micronote/contracts';
import { COLLAB_LIMITS, NOTE_LIMITS } from '@micronote/contracts';
import type { CollabRelayMessage } from '@micronote/events';
import { CollabRelay } from '@micronote/events';
import type { notesV1 } from '@micronote/proto';
import type { Clock } from '@micronote/server-data';
import { checkUserId, CLOCK, isId, utf8Bytes, withinLength } from '@micronote/server-data';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import * as Y from 'yjs';

import type { NeededRole } from '../notes/note-access';
import { NoteAccess } from '../notes/note-access';
import { NoteErrors } from '../notes/notes.errors';
import { NotesRepository } from '../notes/notes.repository';
import { CollabErrors } from './collab.errors';
import { collabApplySeconds, collabDocBytes, collabUpdates } from './collab.metrics';
import type { CollabNoteRow, DocState } from './collab.repository';
import { CollabRepository } from './collab.repository';
import { capturedUpdate, docFromText, docText, hasPending, serviceDoc, setDocText } from './collab-text';

/** Notes whose documents one process keeps in memory (least recently used go first): a note doc is a few KB, and P16 at 1,000 live notes thrashed a cache of 500 (every update reloaded its snapshot). */
export const DOC_CACHE_SIZE = 5_000;

/** A cached document at `seq`; `writing` while a transaction changes it (not committed yet). */
interface CachedDoc {
  noteId: string;
  doc: Y.Doc;
  seq: number;
  writing: boolean;
}

/** What one transaction did to documents: relayed after its commit, dropped from the cache after a rollback. */
interface Touched {
  relays: { noteId: string; message: CollabRelayMessage }[];
  docs: CachedDoc[];
}

/** What saveChange needs to know of a note's document. */
export interface TextSaved {
  /** The note has a document (it was edited live). */
  live: boolean;
  /** It had live edits that no version holds yet (this save's revision now does). */
  wasDirty: boolean;
}

/**
 * The service half of live collaboration: each note edited live has a Yjs document (one Y.Text,
 * the note's Markdown) stored as a snapshot plus the updates after it (CollabRepository).
 *
 * Every change of a document happens in a transaction holding the note's row lock, on a cached
 * Y.Doc first brought up to date from the rows after its seq, so any number of replicas stay
 * consistent. Stored updates are relayed on the note's channel (CollabRelay) after the commit.
 * The note's text always equals the document's; a live edit sets it without a new version
 * (the document is then `dirty`), the checkpoint job (CollabCheckpointer) makes the version.
 */
@Injectable()
export class CollabService {
  private readonly logger = new Logger(CollabService.name);
  private readonly docs = new Map<string, CachedDoc>();
  private readonly touched = new WeakMap<EntityManager, Touched>();

  constructor(
    private readonly repo: CollabRepository,
    private readonly notes: NotesRepository,
    private readonly access: NoteAccess,
    private readonly relay: CollabRelay,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * A transaction that may change documents (every write of a note's text runs in one): what it
   * stored is relayed once it committed; a rollback drops the documents it changed from the cache.
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const touched: Touched = { relays: [], docs: [] };
    let result: T;
    try {
      result = await this.repo.transaction((manager) => {
        this.touched.set(manager, touched);
        return work(manager);
      });
    } catch (error) {
      for (const cached of touched.docs) this.evict(cached);
      throw error;
    }
    for (const cached of touched.docs) cached.writing = false;
    for (const { noteId, message } of touched.relays) await this.relay.publish(noteId, message);
    return result;
  }

  /** JoinNoteSession: the caller's role, what its document lacks, the server's state vector and seq. */
  async join(request: notesV1.JoinNoteSessionRequest): Promise<notesV1.JoinNoteSessionResponse> {
    const userId = checkUserId(request.userId);
    if (!isId(request.noteId)) throw NoteErrors.notFound();
    const stateVector = request.stateVector.length > 0 ? request.stateVector : undefined;
    if (stateVector) {
      try {
        Y.decodeStateVector(stateVector);
      } catch {
        throw CollabErrors.invalidStateVector();
      }
    }
    return this.transaction(async (manager) => {
      const { note, role } = await this.lockAccessible(userId, request.noteId, 'read', manager);
      const { cached } = await this.current(note, manager);
      return {
        role,
        update: Y.encodeStateAsUpdate(cached.doc, stateVector),
        stateVector: Y.encodeStateVector(cached.doc),
        seq: cached.seq,
      };
    });
  }

  /**
   * ApplyNoteUpdate: stores one update as the note's next seq, in one transaction with the note's
   * row locked (role checked again there), and relays it after commit. An update that changes
   * nothing (already applied) is not stored: the answer is the current seq.
   */
  async apply(request: notesV1.ApplyNoteUpdateRequest): Promise<notesV1.ApplyNoteUpdateResponse> {
    const userId = checkUserId(request.userId);
    if (!isId(request.noteId)) throw NoteErrors.notFound();
    if (request.update.length === 0) throw CollabErrors.invalidUpdate('update must not be empty');
    if (request.update.length > COLLAB_LIMITS.updateBytes) throw CollabErrors.updateTooLarge();
    const timer = collabApplySeconds().startTimer();
    const seq = await this.transaction(async (manager) => {
      const { note } = await this.lockAccessible(userId, request.noteId, 'edit', manager);
      const { cached, state } = await this.current(note, manager);
      this.writing(cached, manager);
      let changed: Uint8Array | null;
      try {
        changed = capturedUpdate(cached.doc, () => Y.applyUpdate(cached.doc, request.update));
      } catch {
        throw CollabErrors.invalidUpdate();
      }
      if (hasPending(cached.doc)) throw CollabErrors.invalidUpdate('the update builds on changes the note does not have: join again');
      if (!changed) return state.seq;
      const text = docText(cached.doc);
      if (!withinLength(text, 0, NOTE_LIMITS.text.max)) throw CollabErrors.textTooLong();
      const next = state.seq + 1;
      await this.repo.append(note.id, next, request.update, userId, this.clock.now(), true, manager);
      // The owner's quota pays for a member's edit too.
      await this.notes.usage.add(note.user_id, { items: 0, bytes: utf8Bytes(text) - utf8Bytes(note.text) }, manager);
      await this.repo.setNoteText(note.id, text, manager);
      cached.seq = next;
      await this.compactIfDue(cached, state, manager);
      this.relayAfterCommit(manager, note.id, { kind: 'update', seq: next, update: request.update, origin: request.origin });
      collabUpdates().inc({ source: 'live' });
      return next;
    });
    timer();
    return { seq };
  }

  /**
   * Inside a REST write of the note (saveChange; the note's row is locked): when the note has a
   * document, `text` goes into it as the minimal character diff from its text, stored as the next
   * seq and relayed after commit; the save makes a version, so the document is clean after it.
   */
  async textSaved(noteId: string, text: string, userId: string, manager: EntityManager): Promise<TextSaved> {
    const state = await this.repo.docState(noteId, manager);
    if (!state) return { live: false, wasDirty: false };
    const cached = await this.upToDate(noteId, state, manager);
    this.writing(cached, manager);
    const update = setDocText(cached.doc, text);
    if (update) {
      const next = state.seq + 1;
      await this.repo.append(noteId, next, update, userId, this.clock.now(), false, manager);
      cached.seq = next;
      await this.compactIfDue(cached, state, manager);
      this.relayAfterCommit(manager, noteId, { kind: 'update', seq: next, update, origin: '' });
      collabUpdates().inc({ source: 'rest' });
    }
    if (state.dirty) await this.repo.markClean(noteId, manager);
    return { live: true, wasDirty: state.dirty === 1 };
  }

  /** The note's document state (undefined: not edited live), under the caller's lock of the note. */
  docState(noteId: string, manager: EntityManager): Promise<DocState | undefined> {
    return this.repo.docState(noteId, manager);
  }

  /** See CollabRepository.lockDue. */
  lockDue(noteId: string, idleBefore: Date, dirtyBefore: Date, manager: EntityManager): Promise<string | undefined> {
    return this.repo.lockDue(noteId, idleBefore, dirtyBefore, manager);
  }

  /**
   * The note locked, with the caller's role (NoteAccess, the one access check): NOT_FOUND for a
   * note not theirs and not shared with them, or in the trash; INSUFFICIENT_ROLE for a viewer's edit.
   */
  private async lockAccessible(
    userId: string,
    noteId: string,
    need: NeededRole,
    manager: EntityManager,
  ): Promise<{ note: CollabNoteRow; role: AccessRole }> {
    const { row, role } = await this.access.require(userId, noteId, need, 'editing this note', manager, true);
    if (row.deleted_at) throw NoteErrors.notFound();
    return { note: row, role };
  }

  /** The note's document, made from its text when it has none yet (under the note's lock: the first caller makes it). */
  private async current(note: CollabNoteRow, manager: EntityManager): Promise<{ cached: CachedDoc; state: DocState }> {
    let state = await this.repo.docState(note.id, manager);
    if (!state) {
      await this.repo.insertDoc(note.id, Y.encodeStateAsUpdate(docFromText(note.text)), manager);
      state = { snapshot_seq: 0, seq: 0, dirty: 0 };
    }
    return { cached: await this.upToDate(note.id, state, manager), state };
  }

  /** The cached document brought to `state.seq` (loaded from the snapshot when missing or not trustworthy). */
  private async upToDate(noteId: string, state: DocState, manager: EntityManager): Promise<CachedDoc> {
    let cached = this.docs.get(noteId);
    // Unfinished (a transaction that never committed), ahead of the database, or behind the snapshot: reload.
    if (cached && (cached.writing || cached.seq > state.seq || cached.seq < state.snapshot_seq)) cached = undefined;
    if (!cached) {
      const { snapshot, snapshot_seq } = await this.repo.snapshot(noteId, manager);
      const doc = serviceDoc();
      Y.applyUpdate(doc, snapshot);
      cached = { noteId, doc, seq: snapshot_seq, writing: false };
    }
    if (cached.seq < state.seq) {
      for (const row of await this.repo.updatesAfter(noteId, cached.seq, manager)) {
        Y.applyUpdate(cached.doc, row.update_data);
        cached.seq = row.seq;
      }
    }
    // Least recently used last out: re-insert at the end.
    this.docs.delete(noteId);
    this.docs.set(noteId, cached);
    if (this.docs.size > DOC_CACHE_SIZE) this.docs.delete(this.docs.keys().next().value as string);
    return cached;
  }

  /** After COLLAB_LIMITS.compactAfterUpdates updates past the snapshot: the document is the new snapshot. */
  private async compactIfDue(cached: CachedDoc, state: DocState, manager: EntityManager): Promise<void> {
    if (cached.seq - state.snapshot_seq < COLLAB_LIMITS.compactAfterUpdates) return;
    const snapshot = Y.encodeStateAsUpdate(cached.doc);
    await this.repo.compact(cached.noteId, snapshot, cached.seq, manager);
    collabDocBytes().observe(snapshot.byteLength);
  }

  private writing(cached: CachedDoc, manager: EntityManager): void {
    cached.writing = true;
    const touched = this.touched.get(manager);
    if (touched) touched.docs.push(cached);
  }

  private relayAfterCommit(manager: EntityManager, noteId: string, message: CollabRelayMessage): void {
    const touched = this.touched.get(manager);
    if (touched) touched.relays.push({ noteId, message });
    else
      this.logger.warn(
        `a change of note ${noteId}'s document outside CollabService.transaction is not relayed (clients re-sync on the seq gap)`,
      );
  }

  private evict(cached: CachedDoc): void {
    if (this.docs.get(cached.noteId) === cached) this.docs.delete(cached.noteId);
  }
}
