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
import { collabApplyBatch, collabApplySeconds, collabDocBytes, collabUpdates, collabUpdatesShed } from './collab.metrics';
import type { CollabNoteRow, DocState, NewUpdate } from './collab.repository';
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

/** One ApplyNoteUpdate waiting for its note's next transaction. */
interface QueuedUpdate {
  noteId: string;
  userId: string;
  update: Uint8Array;
  origin: string;
  /** The call's deadline (ms since the epoch; Infinity: none): past it, the caller no longer waits for the answer. */
  deadline: number;
  resolve: (applied: Applied) => void;
  reject: (error: unknown) => void;
}

/** What one ApplyNoteUpdate answers: its seq, or the current seq when it changed nothing (not stored). */
type Applied = notesV1.ApplyNoteUpdateResponse;

/** At most this many updates, and about this many bytes, go into one transaction of a note. */
export const APPLY_BATCH_MAX = 100;
export const APPLY_BATCH_BYTES = 1024 * 1024;

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
  /** Per note: the ApplyNoteUpdate calls waiting for the transaction under way (present while one runs). */
  private readonly queues = new Map<string, QueuedUpdate[]>();

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
    // Issued at once, in order (one connection keeps it); the caller goes on once all are sent.
    await Promise.all(touched.relays.map(({ noteId, message }) => this.relay.publish(noteId, message)));
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
   * ApplyNoteUpdate: stores one update as the note's next seq, with the note's row locked (role
   * checked again there), and relays it after commit. An update that changes nothing (already
   * applied) is not stored: the answer is the current seq.
   *
   * Updates are stored in batches per note (a group commit): those that arrive while the note's
   * transaction runs wait in this process and go into the next one together, each keeping its own
   * row, seq, ack and relay message, in arrival order. One transaction per keystroke made a busy
   * note take a lock, a text write and a commit per keystroke, with the waiting updates holding
   * pool connections idle on its row lock; now each waits for at most one transaction before its
   * own. The owner's usage row (every live edit charges it, and it stays locked until the commit,
   * so all live notes of one owner take turns on it) is changed last, once per batch.
   */
  async apply(request: notesV1.ApplyNoteUpdateRequest, deadline = Infinity): Promise<notesV1.ApplyNoteUpdateResponse> {
    const userId = checkUserId(request.userId);
    const noteId = request.noteId;
    if (!isId(noteId)) throw NoteErrors.notFound();
    if (request.update.length === 0) throw CollabErrors.invalidUpdate('update must not be empty');
    if (request.update.length > COLLAB_LIMITS.updateBytes) throw CollabErrors.updateTooLarge();
    const timer = collabApplySeconds().startTimer();
    const applied = await new Promise<Applied>((resolve, reject) => {
      const item: QueuedUpdate = { noteId, userId, update: request.update, origin: request.origin, deadline, resolve, reject };
      const queue = this.queues.get(noteId);
      if (queue) queue.push(item);
      else {
        const created = [item];
        this.queues.set(noteId, created);
        void this.drain(noteId, created);
      }
    });
    timer();
    return applied;
  }

  /** Stores a note's queued updates batch after batch until none is left. */
  private async drain(key: string, queue: QueuedUpdate[]): Promise<void> {
    try {
      while (queue.length > 0) {
        let bytes = 0;
        let count = 0;
        while (
          count < queue.length &&
          count < APPLY_BATCH_MAX &&
          (count === 0 || bytes + queue[count].update.length <= APPLY_BATCH_BYTES)
        ) {
          bytes += queue[count].update.length;
          count++;
        }
        await this.applyBatch(this.withoutAbandoned(queue.splice(0, count)));
      }
    } finally {
      this.queues.delete(key);
    }
  }

  /**
   * The updates of `batch` whose caller still waits. One whose call deadline has passed is refused
   * unstored (DEADLINE_EXCEEDED, which nobody hears): under load, the time goes to calls that can
   * still be answered, instead of to a backlog whose answers would all come too late. Nothing is
   * lost: as after any refused update, the client's document still holds the change and sends it
   * at its next sync (Yjs: an update applied twice changes nothing).
   */
  private withoutAbandoned(batch: QueuedUpdate[]): QueuedUpdate[] {
    const now = Date.now();
    const live = batch.filter((item) => item.deadline > now);
    if (live.length < batch.length) {
      for (const item of batch) if (item.deadline <= now) item.reject(CollabErrors.deadlinePassed());
      collabUpdatesShed().inc(batch.length - live.length);
    }
    return live;
  }

  /**
   * One transaction for `batch`; each update gets its seq or its own refusal. When the transaction
   * fails as a whole (the owner's quota, a database error), each note's updates are tried again
   * in a transaction of their own, then each update alone, so one update's failure is never another's.
   */
  private async applyBatch(batch: QueuedUpdate[]): Promise<void> {
    if (batch.length === 0) return;
    let results: (Applied | Error)[];
    try {
      results = await this.transaction((manager) => this.storeBatch(batch, manager));
    } catch (error) {
      const notes = [...new Set(batch.map((item) => item.noteId))];
      if (notes.length > 1) for (const noteId of notes) await this.applyBatch(batch.filter((item) => item.noteId === noteId));
      else if (batch.length > 1) for (const item of batch) await this.applyBatch([item]);
      else batch[0].reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const result = results[i];
      if (result instanceof Error) item.reject(result);
      else item.resolve(result);
    });
  }

  /**
   * Inside the batch's transaction: its notes locked in id order (then the usage rows, in user id
   * order: the lock order of every write), each note's updates checked and applied in arrival order.
   */
  private async storeBatch(batch: QueuedUpdate[], manager: EntityManager): Promise<(Applied | Error)[]> {
    const results: (Applied | Error)[] = new Array(batch.length);
    const noteIds = [...new Set(batch.map((item) => item.noteId))].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    const charges = new Map<string, number>();
    let stored = 0;
    for (const noteId of noteIds) {
      const indexes = batch.flatMap((item, i) => (item.noteId === noteId ? [i] : []));
      const outcome = await this.storeNote(
        noteId,
        indexes.map((i) => batch[i]),
        manager,
      );
      outcome.results.forEach((result, k) => (results[indexes[k]] = result));
      if (outcome.charge) charges.set(outcome.charge.owner, (charges.get(outcome.charge.owner) ?? 0) + outcome.charge.bytes);
      stored += outcome.stored;
    }
    // The owner's quota pays for a member's edit too; last, so its row is locked only until the commit.
    for (const owner of [...charges.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))) {
      await this.notes.usage.add(owner, { items: 0, bytes: charges.get(owner) ?? 0 }, manager);
    }
    if (stored > 0) collabApplyBatch().observe(stored);
    return results;
  }

  /** One note's updates of a batch: the note locked, the role of each sender checked, each applied in order, the accepted ones stored. */
  private async storeNote(
    noteId: string,
    items: QueuedUpdate[],
    manager: EntityManager,
  ): Promise<{ results: (Applied | Error)[]; charge?: { owner: string; bytes: number }; stored: number }> {
    const note = await this.notes.findAny(noteId, manager, true);
    if (!note || note.deleted_at) return { results: items.map(() => NoteErrors.notFound()), stored: 0 };
    const denied = new Map<string, Error | null>();
    const refusal = async (userId: string) => {
      if (!denied.has(userId)) {
        denied.set(
          userId,
          await this.access.check(userId, note, 'edit', 'editing this note', manager).then(
            () => null,
            (error: Error) => error,
          ),
        );
      }
      return denied.get(userId) ?? null;
    };
    const { state, cached: loaded } = await this.current(note, manager);
    let cached = loaded;
    this.writing(cached, manager);
    const accepted: (NewUpdate & { origin: string })[] = [];
    const results: (Applied | Error)[] = [];
    let seq = state.seq;
    for (const item of items) {
      const refused = await refusal(item.userId);
      if (refused) {
        results.push(refused);
        continue;
      }
      let changed: Uint8Array | null = null;
      let failure: Error | undefined;
      try {
        changed = capturedUpdate(cached.doc, () => Y.applyUpdate(cached.doc, item.update));
      } catch {
        failure = CollabErrors.invalidUpdate();
      }
      if (!failure && hasPending(cached.doc))
        failure = CollabErrors.invalidUpdate('the update builds on changes the note does not have: join again');
      if (!failure && changed && !withinLength(docText(cached.doc), 0, NOTE_LIMITS.text.max)) failure = CollabErrors.textTooLong();
      if (failure) {
        results.push(failure);
        // The document may hold part of the refused update: made again from the database and the updates accepted so far.
        this.evict(cached);
        cached = await this.upToDate(noteId, state, manager);
        this.writing(cached, manager);
        for (const { update } of accepted) Y.applyUpdate(cached.doc, update);
        continue;
      }
      if (!changed) {
        results.push({ seq, stored: false });
        continue;
      }
      seq += 1;
      accepted.push({ seq, update: item.update, userId: item.userId, origin: item.origin });
      results.push({ seq, stored: true });
    }
    if (accepted.length === 0) return { results, stored: 0 };
    const text = docText(cached.doc);
    await this.repo.appendMany(noteId, accepted, this.clock.now(), true, manager);
    await this.repo.setNoteText(noteId, text, manager);
    cached.seq = seq;
    await this.compactIfDue(cached, state, manager);
    for (const { seq: at, update, origin } of accepted) this.relayAfterCommit(manager, noteId, { kind: 'update', seq: at, update, origin });
    collabUpdates().inc({ source: 'live' }, accepted.length);
    return { results, charge: { owner: String(note.user_id), bytes: utf8Bytes(text) - utf8Bytes(note.text) }, stored: accepted.length };
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
