import { ReadCache } from '@micronote/events';
import { Module } from '@nestjs/common';

import { NoteSharesHttpController } from './note-shares.http.controller';
import { NotesHttpController } from './notes.http.controller';
import { NotesOrganizeHttpController } from './notes-organize.http.controller';
import { PublicNotesHttpController } from './public-notes.http.controller';

/** /api/notes, and the public read of share links /api/public/notes */
@Module({
  controllers: [NotesHttpController, NotesOrganizeHttpController, NoteSharesHttpController, PublicNotesHttpController],
  providers: [ReadCache],
})
export class NotesModule {}
