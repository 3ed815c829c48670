import type { Note, UpdatedNote } from '@micronote/contracts';
import type { notesV1 } from '@micronote/proto';
import { Injectable } from '@nestjs/common';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { toRestNote, toRestUpdatedNote } from '../common/rest/rest-shapes';
import { PeopleView } from '../sharing/people-view';

type Context = Pick<RequestContext, 'requestId' | 'userId'>;

/**
 * The REST notes of the gateway's answers, with `access` (role, owner by name, member count) on
 * those that are shared or not the caller's. A page costs one GetUsers call when one of its notes
 * is shared, none otherwise.
 */
@Injectable()
export class NoteViews {
  constructor(private readonly view: PeopleView) {}

  async many(notes: readonly notesV1.Note[], ctx: Context): Promise<Note[]> {
    const people = await this.view.people(new Set(notes.flatMap((note) => (note.access ? [note.access.ownerId] : []))), ctx);
    return notes.map((note) => toRestNote(note, people));
  }

  async one(note: notesV1.Note, ctx: Context): Promise<Note> {
    return (await this.many([note], ctx))[0];
  }

  async updated(note: notesV1.Note, ctx: Context): Promise<UpdatedNote> {
    const people = note.access ? await this.view.people([note.access.ownerId], ctx) : undefined;
    return toRestUpdatedNote(note, people);
  }
}
