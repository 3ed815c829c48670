import { Module } from '@nestjs/common';

import { NotesHttpController } from './notes.http.controller';

/** /api/notes */
@Module({ controllers: [NotesHttpController] })
export class NotesModule {}
