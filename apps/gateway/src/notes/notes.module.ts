import { ReadCache } from '@micronote/events';
import { Module } from '@nestjs/common';

import { SharingModule } from '../sharing/sharing.module';
import { NoteMembersHttpController } from './note-members.http.controller';
import { NoteSharesHttpController } from './note-shares.http.controller';
import { NoteViews } from './note-views';
import { NotesHttpController } from './notes.http.controller';
import { NotesOrganizeHttpController } from './notes-organize.http.controller';
import { PublicNotesHttpController } from './public-notes.http.controller';

/** /api/notes (with their members: sharing with people), and the public read of share links /api/public/notes */
@Module({
  imports: [SharingModule],
  controllers: [NoteMembersHttpController, NotesHttpController, NotesOrganizeHttpController, NoteSharesHttpController, PublicNotesHttpController],
  providers: [ReadCache, NoteViews],
})
export class NotesModule {}
