import { ChangeFeed, EventLog, ReadCache } from '@micronote/events';
import { clockProvider } from '@micronote/server-data';
import { Module } from '@nestjs/common';

import { collabProviders } from '../collab/collab.module';
import { NoteAccess } from './note-access';
import { NoteMembersRepository } from './note-members.repository';
import { NoteMembersService } from './note-members.service';
import { NoteOrganizeRepository } from './note-organize.repository';
import { NoteOrganizeService } from './note-organize.service';
import { NoteRevisionsRepository } from './note-revisions.repository';
import { NoteSharesRepository } from './note-shares.repository';
import { NoteSharesService } from './note-shares.service';
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
    NoteOrganizeService,
    NoteOrganizeRepository,
    NoteSharesService,
    NoteSharesRepository,
    NoteMembersRepository,
    NoteMembersService,
    NoteAccess,
    ...collabProviders,
  ],
})
export class NotesModule {}
