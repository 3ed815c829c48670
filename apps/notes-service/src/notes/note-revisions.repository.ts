import { NOTE_LIMITS } from '@micronote/contracts';
import type { notesV1 } from '@micronote/proto';
import { Prepared, sqlTime, utf8Bytes } from '@micronote/server-data';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

import { NoteRevisionEntity } from './note.entity';

/** A note_revisions row as mysql2 returns it. */
export interface RevisionRow {
  note_id: string;
  version: number;
  until_version: number | null;
  title: string;
  text: string;
  tags: string | string[];
  size: number;
  client_id: string | null;
  created_at: Date;
}

/** What a revision keeps of a note: its title, text and tags at a version, saved at a time. */
export interface RevisionState {
  version: number;
  title: string;
  text: string;
  tags: string[];
  at: Date;
}

const MINUTE_MS = 60 * 1000;
const COALESCE_MS = NOTE_LIMITS.revisions.coalesceMinutes * MINUTE_MS;

const REVISION_COLUMNS = ['note_id', 'version', 'until_version', 'title', 'text', 'tags', 'size', 'client_id', 'created_at'];

export function revisionTags(row: Pick<RevisionRow, 'tags'>): string[] {
  return typeof row.tags === 'string' ? (JSON.parse(row.tags) as string[]) : row.tags;
}

export function toRevision(row: RevisionRow, version = Number(row.version)): notesV1.NoteRevision {
  return {
    noteId: String(row.note_id),
    version,
    at: row.created_at.toISOString(),
    title: row.title,
    text: row.text,
    tags: revisionTags(row),
    clientId: row.client_id ?? undefined,
  };
}

export function toRevisionSummary(row: RevisionRow): notesV1.NoteRevisionSummary {
  return {
    version: Number(row.version),
    at: row.created_at.toISOString(),
    title: row.title,
    size: Number(row.size),
    clientId: row.client_id ?? undefined,
  };
}

/**
 * The data access of note revisions (TypeORM query builder, statements built once): every lookup
 * is a range of the primary key (note_id, version). Callers check the note is the user's first
 * (revisions have no user_id of their own: they go with their note, ON DELETE CASCADE).
 */
@Injectable()
export class NoteRevisionsRepository {
  private readonly insertOne: Prepared;
  private readonly latest: Prepared;
  private readonly close: Prepared;
  private readonly covering: Prepared;
  private readonly pageFirst: Prepared;
  private readonly pageAfter: Prepared;
  private readonly oldest: Prepared;
  private readonly keepFrom: Prepared;
  private readonly dropOld: Prepared;
  private readonly thin: Prepared;
  private readonly aging: Prepared;

  constructor(private readonly dataSource: DataSource) {
    const builder = () => dataSource.createQueryBuilder();
    const select = (columns: readonly string[]) => {
      const b = builder().from(NoteRevisionEntity, 'r');
      for (const column of columns) b.addSelect(`r.${column}`, column);
      return b;
    };
    this.insertOne = new Prepared(
      builder()
        .insert()
        .into(NoteRevisionEntity)
        .values({
          noteId: () => ':noteId',
          version: () => ':version',
          untilVersion: () => ':untilVersion',
          title: () => ':title',
          text: () => ':text',
          tags: () => ':tags',
          size: () => ':size',
          clientId: () => ':clientId',
          createdAt: () => ':createdAt',
          coalesced: () => '0',
        })
        .updateEntity(false),
    );
    this.latest = new Prepared(select(['version', 'client_id', 'created_at']).where('r.note_id = :noteId').orderBy('r.version', 'DESC'), {
      limit: true,
    });
    this.close = new Prepared(
      builder()
        .update(NoteRevisionEntity)
        .set({ untilVersion: () => ':untilVersion', coalesced: () => ':coalesced' })
        .where('note_id = :noteId AND version = :version'),
    );
    this.covering = new Prepared(
      select(REVISION_COLUMNS).where('r.note_id = :noteId AND r.version <= :version').orderBy('r.version', 'DESC'),
      { limit: true },
    );
    const summary = ['note_id', 'version', 'title', 'size', 'client_id', 'created_at'];
    this.pageFirst = new Prepared(select(summary).where('r.note_id = :noteId').orderBy('r.version', 'DESC'), { limit: true });
    this.pageAfter = new Prepared(select(summary).where('r.note_id = :noteId AND r.version < :before').orderBy('r.version', 'DESC'), {
      limit: true,
    });
    this.oldest = new Prepared(select(['created_at']).where('r.note_id = :noteId').orderBy('r.version', 'ASC'), { limit: true });
    const newestFirst = select(['version']).where('r.note_id = :noteId').orderBy('r.version', 'DESC');
    // The keepLast-th newest version: TypeORM writes OFFSET as a literal, Prepared binds it.
    this.keepFrom = new Prepared({ getQuery: () => `${newestFirst.getQuery()} LIMIT 1 OFFSET :skip` });
    this.dropOld = new Prepared(
      builder().delete().from(NoteRevisionEntity).where('note_id = :noteId AND version < :keepFrom AND created_at < :cutoff'),
    );
    this.thin = new Prepared(builder().delete().from(NoteRevisionEntity).where('coalesced = 1 AND created_at < :cutoff'), { limit: true });
    this.aging = new Prepared(
      builder()
        .select('DISTINCT r.note_id', 'note_id')
        .from(NoteRevisionEntity, 'r')
        .where('r.created_at >= :from AND r.created_at < :cutoff AND r.note_id > :afterId')
        .orderBy('r.note_id', 'ASC'),
      { limit: true },
    );
  }

  /** The first revision of a new note (its version 1). */
  async first(noteId: string, state: RevisionState, clientId: string, manager: EntityManager): Promise<void> {
    await this.insert(noteId, state, null, clientId, manager);
  }

  /**
   * A change of the note's title, text or tags from `previous` to `next`, inside the change's
   * transaction (the note's row is locked): the current revision ends at next's version (marked
   * for thinning when the same client saved both within coalesceMinutes), next becomes the current
   * one, and the note's revisions past keepLast and older than keepDays go.
   */
  async record(noteId: string, previous: RevisionState, next: RevisionState, clientId: string, manager: EntityManager): Promise<void> {
    const [current] = await this.latest.run<Pick<RevisionRow, 'version' | 'client_id' | 'created_at'>[]>(manager, { noteId, limit: 1 });
    if (current) {
      const sameClient = (current.client_id ?? '') === clientId;
      const quick = next.at.getTime() - current.created_at.getTime() <= COALESCE_MS;
      await this.close.run(manager, {
        noteId,
        version: current.version,
        untilVersion: next.version,
        coalesced: sameClient && quick ? 1 : 0,
      });
    } else {
      // A note from before revisions (or written past them): its state until now is kept first.
      await this.insert(noteId, previous, next.version, '', manager);
    }
    await this.insert(noteId, next, null, clientId, manager);
    await this.applyRetention(noteId, next.at, manager);
  }

  /** The first revisions of imported notes, in one statement. */
  async imported(notes: { noteId: string; state: RevisionState }[], manager: EntityManager): Promise<void> {
    if (notes.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(NoteRevisionEntity)
      .values(notes.map(({ noteId, state }) => ({ ...this.values(noteId, state, null, ''), coalesced: 0 })))
      .updateEntity(false)
      .execute();
  }

  /** The revision holding the note's state at `version` (undefined when that state is no longer kept). */
  async at(noteId: string, version: number, manager: EntityManager = this.dataSource.manager): Promise<RevisionRow | undefined> {
    const [row] = await this.covering.run<RevisionRow[]>(manager, { noteId, version, limit: 1 });
    if (!row || (row.until_version !== null && Number(row.until_version) <= version)) return undefined;
    return row;
  }

  /** A page of the note's revisions, newest first, before version `before` (all when undefined). */
  page(noteId: string, before: number | undefined, limit: number): Promise<RevisionRow[]> {
    const manager = this.dataSource.manager;
    return before === undefined ? this.pageFirst.run(manager, { noteId, limit }) : this.pageAfter.run(manager, { noteId, before, limit });
  }

  /**
   * Drops the note's revisions that are neither among its last keepLast nor younger than keepDays
   * (as of `now`). Nothing is read past the note's oldest revision when that one is young.
   */
  async applyRetention(noteId: string, now: Date, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const cutoff = new Date(now.getTime() - NOTE_LIMITS.revisions.keepDays * 24 * 60 * MINUTE_MS);
    const [oldest] = await this.oldest.run<{ created_at: Date }[]>(manager, { noteId, limit: 1 });
    if (!oldest || oldest.created_at >= cutoff) return 0;
    const [keep] = await this.keepFrom.run<{ version: number }[]>(manager, { noteId, skip: NOTE_LIMITS.revisions.keepLast - 1 });
    if (!keep) return 0;
    const result = await this.dropOld.run<{ affectedRows: number }>(manager, { noteId, keepFrom: keep.version, cutoff: sqlTime(cutoff) });
    return result.affectedRows;
  }

  /** Deletes up to `limit` revisions marked `coalesced` saved before `cutoff`; returns how many. */
  async thinBatch(cutoff: Date, limit: number): Promise<number> {
    const result = await this.thin.run<{ affectedRows: number }>(this.dataSource.manager, { cutoff: sqlTime(cutoff), limit });
    return result.affectedRows;
  }

  /** Notes (after `afterId`, in id order) with a revision saved in [from, cutoff): those that may have just passed keepDays. */
  async aged(from: Date, cutoff: Date, afterId: string, limit: number): Promise<string[]> {
    const rows = await this.aging.run<{ note_id: string }[]>(this.dataSource.manager, {
      from: sqlTime(from),
      cutoff: sqlTime(cutoff),
      afterId,
      limit,
    });
    return rows.map((r) => String(r.note_id));
  }

  private async insert(noteId: string, state: RevisionState, untilVersion: number | null, clientId: string, manager: EntityManager) {
    await this.insertOne.run(manager, this.values(noteId, state, untilVersion, clientId));
  }

  private values(noteId: string, state: RevisionState, untilVersion: number | null, clientId: string) {
    return {
      noteId,
      version: state.version,
      untilVersion,
      title: state.title,
      text: state.text,
      tags: JSON.stringify(state.tags),
      size: utf8Bytes(state.text),
      clientId: clientId || null,
      createdAt: sqlTime(state.at),
    };
  }
}
