import { ReadCache } from '@micronote/events';
import { Module } from '@nestjs/common';

import { NotesHttpController } from './notes.http.controller';

/** /api/notes */
@Module({ controllers: [NotesHttpController], providers: [ReadCache] })
export class NotesModule {}
