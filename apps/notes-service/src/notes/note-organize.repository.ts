import { Prepared } from '@micronote/server-data';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { NoteTagEntity } from './note.entity';
import { TAG_OR_CHILD, tagValues } from './notes.repository';

/**
 * The reads of a tag rename: which notes (trash included) and which tags are `from` or under it,
 * each one range of ix_note_tags_user_tag. The changes themselves go through NotesService.update.
 */
@Injectable()
export class NoteOrganizeRepository {
  private readonly notesWithTag: Prepared;
  private readonly tagsUnder: Prepared;

  constructor(private readonly dataSource: DataSource) {
    const under = () => dataSource.createQueryBuilder().from(NoteTagEntity, 't').where(`t.user_id = :userId AND ${TAG_OR_CHILD}`);
    this.notesWithTag = new Prepared(under().select('DISTINCT t.note_id', 'note_id').orderBy('t.note_id', 'ASC'));
    this.tagsUnder = new Prepared(under().select('DISTINCT t.tag', 'tag'));
  }

  /** Ids of the user's notes carrying `tag` or a child of it, oldest first. */
  async noteIdsWithTag(userId: string, tag: string): Promise<string[]> {
    const rows = await this.notesWithTag.run<{ note_id: string | number }[]>(this.dataSource.manager, { userId, ...tagValues(tag) });
    return rows.map((row) => String(row.note_id));
  }

  /** The distinct spellings of `tag` and its children on the user's notes. */
  async tagsWithin(userId: string, tag: string): Promise<string[]> {
    const rows = await this.tagsUnder.run<{ tag: string }[]>(this.dataSource.manager, { userId, ...tagValues(tag) });
    return rows.map((row) => row.tag);
  }
}
