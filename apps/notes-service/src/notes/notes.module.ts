import { ChangeFeed, EventLog, ReadCache } from '@micronote/events';
import { clockProvider } from '@micronote/server-data';
import { Module } from '@nestjs/common';

import { NoteOrganizeRepository } from './note-organize.repository';
import { NoteOrganizeService } from './note-organize.service';
import { NoteSharesRepository } from './note-shares.repository';
import { NoteSharesService } from './note-shares.service';
import { NotesGrpcController } from './notes.grpc.controller';
import { NotesRepository } from './notes.repository';
import { NotesService } from './notes.service';
import { TrashPurger } from './trash-purger';

@Module({
  controllers: [NotesGrpcController],
  providers: [
    NotesService,
    NotesRepository,
    TrashPurger,
    ReadCache,
    EventLog,
    ChangeFeed,
    clockProvider,
    NoteOrganizeService,
    NoteOrganizeRepository,
    NoteSharesService,
    NoteSharesRepository,
  ],
})
export class NotesModule {}
