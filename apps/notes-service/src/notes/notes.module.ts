import { ChangeFeed, EventLog, ReadCache } from '@micronote/events';
import { clockProvider } from '@micronote/server-data';
import { Module } from '@nestjs/common';

import { NotesGrpcController } from './notes.grpc.controller';
import { NotesRepository } from './notes.repository';
import { NotesService } from './notes.service';
import { TrashPurger } from './trash-purger';

@Module({
  controllers: [NotesGrpcController],
  providers: [NotesService, NotesRepository, TrashPurger, ReadCache, EventLog, ChangeFeed, clockProvider],
})
export class NotesModule {}
