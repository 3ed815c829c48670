// jscpd:ignore-start -- import list: alike in the twins by design (tools/scripts/check-twins.mjs)
import type { AccessRole } from '@micronote/contracts';
import type { notesV1 } from '@micronote/proto';
import type { BoundQuery, ColumnValues } from '@micronote/server-data';
import {
  isoOrUndefined,
  OwnedRows,
  Prepared,
  sqlTime,
  sqlTimeOrNull,
  usageEntity,
  UsageQuota,
  utf8Bytes,
  versionAndTimes,
} from '@micronote/server-data';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

import type { Env } from '../config/env.validation';
import { NoteEntity, NoteRevisionEntity, NoteTagEntity } from './note.entity';
import { NoteErrors } from './notes.errors';
// jscpd:ignore-end

/** A notes row as mysql2 returns it (BIGINTs as strings, DATETIMEs as UTC Dates). */
export interface NoteRow {
  id: string;
  user_id: string;
  title: string;
  text: string;
  tags: string | string[];
  is_pinned: number;
  is_archived: number;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  /** Accepted members (the maintained notes.members); read, never written through a note's update. */
  members?: number;
  /** ListSharedNotes: the caller's role in the note. */
  member_role?: 'viewer' | 'editor';
  score?: number;
}

/** What a new note is made of (the id comes from the insert). */
export type NewNoteRow = Omit<NoteRow, 'id' | 'user_id'>;

const NOTE_COLUMNS = [
  'id',
  'user_id',
  'title',
  'text',
  'tags',
  'is_pinned',
  'is_archived',
  'version',
  'created_at',
  'updated_at',
  'deleted_at',
  'members',
];

export const NoteUsageEntity = usageEntity('note_usage');

/** The entities of notes-service's database. */
export const NOTE_ENTITIES = [NoteEntity, NoteTagEntity, NoteUsageEntity, NoteRevisionEntity];

export enum NoteState {
  Active = 0,
  Archived = 1,
  Trashed = 2,
}

/** What a note counts against the byte quota: UTF-8 bytes of its title, text and stored tags JSON. */
export function noteBytes(note: Pick<NoteRow, 'title' | 'text' | 'tags'>): number {
  return utf8Bytes(note.title, note.text, typeof note.tags === 'string' ? note.tags : JSON.stringify(note.tags));
}

/** The same in SQL (LENGTH counts bytes), for rows that are deleted without being read first. */
const NOTE_BYTES_SQL = 'LENGTH(title) + LENGTH(text) + LENGTH(tags)';

/**
 * The proto Note of a row; `role` is the caller's (the owner's when not given): `access` is set
 * when the note has accepted members or the caller is not its owner.
 */
export function toNote(row: NoteRow, role: AccessRole = 'owner'): notesV1.Note {
  const members = Number(row.members ?? 0);
  return {
    id: String(row.id),
    title: row.title,
    text: row.text,
    tags: typeof row.tags === 'string' ? (JSON.parse(row.tags) as string[]) : row.tags,
    isPinned: Boolean(row.is_pinned),
    isArchived: Boolean(row.is_archived),
    ...versionAndTimes(row),
    deletedAt: isoOrUndefined(row.deleted_at),
    ...((members > 0 || role !== 'owner') && { access: { role, ownerId: String(row.user_id), members } }),
  };
}

/** A note's columns as an insert or update writes them. */
function noteValues(row: NewNoteRow): ColumnValues {
  return {
    title: row.title,
    text: row.text,
    tags: typeof row.tags === 'string' ? row.tags : JSON.stringify(row.tags),
    is_pinned: row.is_pinned,
    is_archived: row.is_archived,
    version: row.version,
    created_at: sqlTime(row.created_at),
    updated_at: sqlTime(row.updated_at),
    deleted_at: sqlTimeOrNull(row.deleted_at),
  };
}

/** Where a page of the default order starts: after (pinned, updatedAt, id) of the last note seen. */
export interface ListAfter {
  pinned: boolean;
  updatedAt: string;
  id: string;
}

/** Where a page of search results starts: after (score, id) of the last note seen. */
export interface SearchAfter {
  score: number;
  id: string;
}

export interface ListQuery {
  userId: string;
  state: NoteState;
  pinned?: boolean;
  tag?: string;
  limit: number;
  after?: ListAfter;
}

export interface SearchQuery {
  userId: string;
  state: NoteState;
  q: string;
  pinned?: boolean;
  tag?: string;
  limit: number;
  after?: SearchAfter;
}

/** Which optional parts a list or search has: one built statement per combination. */
function shapeOf(query: { tag?: string; pinned?: boolean; after?: object }): {
  tag: boolean;
  pinned: boolean;
  after: boolean;
  shape: string;
} {
  const tag = query.tag !== undefined;
  const pinned = query.pinned !== undefined;
  const after = query.after !== undefined;
  return { tag, pinned, after, shape: `${+tag}${+pinned}${+after}` };
}

const MATCH = 'MATCH(n.title, n.text) AGAINST (:q IN NATURAL LANGUAGE MODE)';

/** A note_tags row `t` that is the tag `:tag` or one of its children (`:tag/…`, a prefix range of the index). */
export const TAG_OR_CHILD = "(t.tag = :tag OR t.tag LIKE :tagPrefix ESCAPE '!')";

/** `value` as a literal LIKE pattern (escape character `!`). */
export const likeLiteral = (value: string) => value.replace(/[!%_]/g, (c) => `!${c}`);

/** The parameters of TAG_OR_CHILD. */
export const tagValues = (tag: string | undefined) => ({ tag, tagPrefix: tag === undefined ? undefined : `${likeLiteral(tag)}/%` });

/**
 * The data access of notes-service (TypeORM query builder; statements built once, see Prepared).
 * Every list is a keyset page over ix_notes_list (a range scan in index order: no OFFSET, no
 * filesort); search uses the FULLTEXT index and sorts its matches.
 */
@Injectable()
export class NotesRepository extends OwnedRows<NoteRow, NewNoteRow, ListQuery> {
  private readonly tagInserts: Prepared[] = [];
  private readonly deleteTags: Prepared;
  private readonly deleteReturningBytes: Prepared;
  private readonly purgeTrash: Prepared;
  private readonly byId: Prepared;
  private readonly byIdLocked: Prepared;
  private readonly sharedFirst: Prepared;
  private readonly sharedAfter: Prepared;

  constructor(dataSource: DataSource, config: ConfigService<Env, true>) {
    const items = config.get('MAX_NOTES_PER_USER', { infer: true });
    const bytes = config.get('MAX_BYTES_PER_USER', { infer: true });
    super(
      dataSource,
      {
        entity: NoteEntity,
        columns: NOTE_COLUMNS,
        updates: ['title', 'text', 'tags', 'is_pinned', 'is_archived', 'version', 'updated_at', 'deleted_at'],
        values: noteValues,
      },
      new UsageQuota(dataSource, NoteUsageEntity, { items, bytes }, (which) =>
        which === 'items' ? NoteErrors.tooManyNotes(items) : NoteErrors.tooManyBytes(bytes),
      ),
    );
    const builder = () => this.dataSource.createQueryBuilder();
    this.deleteTags = new Prepared(builder().delete().from(NoteTagEntity).where('note_id = :noteId AND user_id = :userId'));
    this.deleteReturningBytes = new Prepared(builder().delete().from(NoteEntity).where('id = :id AND user_id = :userId'), {
      returning: `${NOTE_BYTES_SQL} AS bytes`,
    });
    // A note by id alone, for the access check of a shared note (NoteAccess decides what the caller may see).
    this.byId = new Prepared(this.select('n').where('n.id = :id'));
    this.byIdLocked = new Prepared(this.select('n').where('n.id = :id').setLock('pessimistic_write'));
    // Notes shared with the user (accepted), newest updated first: ix_note_members_user finds them,
    // then each by primary key; the sort is over the user's shared notes only.
    const shared = () =>
      this.select('n')
        .addSelect('m.role', 'member_role')
        .innerJoin('note_members', 'm', "m.note_id = n.id AND m.user_id = :userId AND m.status = 'accepted'")
        .where('n.deleted_at IS NULL')
        .orderBy('n.updated_at', 'DESC')
        .addOrderBy('n.id', 'DESC');
    this.sharedFirst = new Prepared(shared(), { limit: true });
    this.sharedAfter = new Prepared(shared().andWhere('(n.updated_at < :u OR (n.updated_at = :u AND n.id < :id))'), { limit: true });
    this.purgeTrash = new Prepared(builder().delete().from(NoteEntity).where('deleted_at < :cutoff'), {
      limit: true,
      returning: `user_id, ${NOTE_BYTES_SQL} AS bytes`,
    });
  }

  /** The default list: one range of ix_notes_list, read backwards in (pinned, updated_at, id) order. */
  listSql(query: ListQuery): BoundQuery {
    const { tag, pinned, after, shape } = shapeOf(query);
    return this.keysetQuery(
      `l${shape}`,
      () => {
        const builder = tag ? this.select('n') : this.select('n').useIndex('ix_notes_list');
        // The tag and its children: one range of ix_note_tags_user_tag (`tag = :tag` plus the prefix
        // `:tag/…`), as a semi-join so a note carrying `a` and `a/b` is listed once.
        if (tag) builder.andWhere(`n.id IN (SELECT t.note_id FROM note_tags t WHERE t.user_id = :userId AND ${TAG_OR_CHILD})`);
        builder.andWhere('n.user_id = :userId AND n.state = :state');
        if (pinned) builder.andWhere('n.is_pinned = :pinned');
        if (after)
          builder.andWhere('(n.is_pinned < :p OR (n.is_pinned = :p AND (n.updated_at < :u OR (n.updated_at = :u AND n.id < :id))))');
        return builder.orderBy('n.is_pinned', 'DESC').addOrderBy('n.updated_at', 'DESC').addOrderBy('n.id', 'DESC');
      },
      {
        userId: query.userId,
        state: query.state,
        ...tagValues(query.tag),
        pinned: query.pinned ? 1 : 0,
        p: query.after?.pinned ? 1 : 0,
        u: query.after?.updatedAt,
        id: query.after?.id,
        limit: query.limit,
      },
    );
  }

  /** The note whoever owns it (the access check comes after); `lock` takes its row lock. */
  async findAny(id: string, manager: EntityManager = this.manager, lock = false): Promise<NoteRow | undefined> {
    const rows = await (lock ? this.byIdLocked : this.byId).run<NoteRow[]>(manager, { id });
    return rows[0];
  }

  /** A page of the notes shared with the user (accepted, out of the trash), after (updatedAt, id). */
  sharedWith(userId: string, limit: number, after?: { updatedAt: string; id: string }): Promise<NoteRow[]> {
    return after
      ? this.sharedAfter.run(this.manager, { userId, u: after.updatedAt, id: after.id, limit })
      : this.sharedFirst.run(this.manager, { userId, limit });
  }

  /** Full-text search over title and text, most relevant first. */
  searchSql(query: SearchQuery): BoundQuery {
    const { tag, pinned, after, shape } = shapeOf(query);
    return this.keysetQuery(
      `s${shape}`,
      () => {
        const builder = this.select('n').addSelect(MATCH, 'score').where('n.user_id = :userId AND n.state = :state').andWhere(MATCH);
        if (pinned) builder.andWhere('n.is_pinned = :pinned');
        if (tag) builder.andWhere(`EXISTS (SELECT 1 FROM note_tags t WHERE t.note_id = n.id AND ${TAG_OR_CHILD})`);
        if (after) builder.andWhere(`(${MATCH} < :score OR (${MATCH} = :score AND n.id < :id))`);
        return builder.orderBy('score', 'DESC').addOrderBy('n.id', 'DESC');
      },
      {
        userId: query.userId,
        state: query.state,
        q: query.q,
        ...tagValues(query.tag),
        pinned: query.pinned ? 1 : 0,
        score: query.after?.score,
        id: query.after?.id,
        limit: query.limit,
      },
    );
  }

  search(query: SearchQuery): Promise<NoteRow[]> {
    return this.rowsOf(this.searchSql(query));
  }

  /**
   * Inserts imported notes (and their tags) in one statement each; a note whose import key the
   * user already has is skipped. Returns the notes inserted, with their new ids.
   */
  async insertImportedNotes(
    userId: string,
    notes: { key: string; row: NewNoteRow }[],
    manager: EntityManager,
  ): Promise<{ id: string; key: string }[]> {
    const result = await this.insertImported(userId, notes, manager);
    const tagsByKey = new Map(notes.map(({ key, row }) => [key, row.tags as string[]]));
    const tagRows = result.flatMap(({ id, key }) => (tagsByKey.get(key) ?? []).map((tag) => ({ noteId: id, userId, tag })));
    if (tagRows.length > 0) {
      await manager.createQueryBuilder().insert().into(NoteTagEntity).values(tagRows).orUpdate(['tag']).updateEntity(false).execute();
    }
    return result;
  }

  async replaceTags(userId: string, noteId: string, tags: string[], manager: EntityManager): Promise<void> {
    await this.deleteTags.run(manager, { noteId, userId });
    await this.insertTags(userId, noteId, tags, manager);
  }

  /**
   * Tags of a note that has none yet. Two tags the collation compares equal (`cafe`, `Café`) are
   * one row: normalizeTags keeps only one, and a pair it misses is still no duplicate-key error.
   */
  async insertTags(userId: string, noteId: string, tags: string[], manager: EntityManager): Promise<void> {
    if (tags.length === 0) return;
    const values: Record<string, string> = { noteId, userId };
    tags.forEach((tag, i) => (values[`t${i}`] = tag));
    await this.tagInsert(tags.length).run(manager, values);
  }

  /** `INSERT INTO note_tags … ON DUPLICATE KEY UPDATE` of `count` tags (parameters :0, :1, …), built once per count. */
  private tagInsert(count: number): Prepared {
    let prepared = this.tagInserts[count];
    if (!prepared) {
      const rows = Array.from({ length: count }, (_, i) => ({ noteId: () => ':noteId', userId: () => ':userId', tag: () => `:t${i}` }));
      prepared = new Prepared(
        this.dataSource.createQueryBuilder().insert().into(NoteTagEntity).values(rows).orUpdate(['tag']).updateEntity(false),
      );
      this.tagInserts[count] = prepared;
    }
    return prepared;
  }

  /** Deletes a note for good and gives its space back, in one transaction; false when there was none. */
  deletePermanently(userId: string, id: string): Promise<boolean> {
    return this.transaction(async (manager) => {
      const rows = await this.deleteReturningBytes.run<{ bytes: string | number }[]>(manager, { id, userId });
      if (rows.length === 0) return false;
      await this.usage.add(userId, { items: -1, bytes: -Number(rows[0].bytes) }, manager);
      return true;
    });
  }

  async tagCounts(userId: string): Promise<{ tag: string; count: number }[]> {
    const rows: { tag: string; count: string | number }[] = await this.dataSource
      .createQueryBuilder()
      .select('MIN(t.tag)', 'tag')
      .addSelect('COUNT(*)', 'count')
      .from(NoteTagEntity, 't')
      .innerJoin(NoteEntity, 'n', 'n.id = t.note_id')
      .where('t.user_id = :userId AND n.deleted_at IS NULL', { userId })
      .groupBy('t.tag')
      .orderBy('count', 'DESC')
      .addOrderBy('tag', 'ASC')
      .getRawMany();
    return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
  }

  async stats(userId: string): Promise<notesV1.NoteStats> {
    const rows: { state: number; is_pinned: number; count: string | number }[] = await this.dataSource
      .createQueryBuilder()
      .select('n.state', 'state')
      .addSelect('n.is_pinned', 'is_pinned')
      .addSelect('COUNT(*)', 'count')
      .from(NoteEntity, 'n')
      .useIndex('ix_notes_list')
      .where('n.user_id = :userId', { userId })
      .groupBy('n.state')
      .addGroupBy('n.is_pinned')
      .getRawMany();
    const tags: { count: string | number } | undefined = await this.dataSource
      .createQueryBuilder()
      .select('COUNT(DISTINCT t.tag)', 'count')
      .from(NoteTagEntity, 't')
      .innerJoin(NoteEntity, 'n', 'n.id = t.note_id')
      .where('t.user_id = :userId AND n.deleted_at IS NULL', { userId })
      .getRawOne();
    const stats = { total: 0, pinned: 0, archived: 0, trashed: 0, tags: Number(tags?.count ?? 0) };
    for (const row of rows) {
      const count = Number(row.count);
      if (Number(row.state) === NoteState.Trashed) {
        stats.trashed += count;
        continue;
      }
      stats.total += count;
      if (Number(row.state) === NoteState.Archived) stats.archived += count;
      if (Number(row.is_pinned)) stats.pinned += count;
    }
    return stats;
  }

  /** Deletes up to `limit` notes that went to the trash before `cutoff` and gives their owners' space back; returns how many. */
  purgeTrashBatch(cutoff: Date, limit: number): Promise<number> {
    return this.transaction(async (manager) => {
      const rows = await this.purgeTrash.run<{ user_id: string; bytes: string | number }[]>(manager, { cutoff: sqlTime(cutoff), limit });
      const freed = new Map<string, { items: number; bytes: number }>();
      for (const row of rows) {
        const user = freed.get(String(row.user_id)) ?? { items: 0, bytes: 0 };
        user.items -= 1;
        user.bytes -= Number(row.bytes);
        freed.set(String(row.user_id), user);
      }
      // In user id order, so two purgers running at once lock usage rows in the same order.
      for (const [userId, delta] of [...freed].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1)))
        await this.usage.add(userId, delta, manager);
      return rows.length;
    });
  }
}
