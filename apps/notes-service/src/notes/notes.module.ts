import { ChangeFeed, EventLog, ReadCache } from '@micronote/events';
import { clockProvider } from '@micronote/server-data';
import { Module } from '@nestjs/common';

import { NoteRevisionsRepository } from './note-revisions.repository';
import { NotesGrpcController } from './notes.grpc.controller';
import { NotesRepository } from './notes.repository';
import { NotesService } from './notes.service';
import { RevisionPurger } from './revision-purger';
import { TrashPurger } from './trash-purger';

@Module({
  controllers: [NotesGrpcController],
  providers: [
    NotesService,
    NotesRepository,
    NoteRevisionsRepository,
    TrashPurger,
    RevisionPurger,
    ReadCache,
    EventLog,
    ChangeFeed,
    clockProvider,
  ],
})
export class NotesModule {}
