import { ChangeFeed, EventLog, ReadCache } from '@micronote/events';
import { clockProvider } from '@micronote/server-data';
import { Module } from '@nestjs/common';

import { TodosGrpcController } from './todos.grpc.controller';
import { TodosRepository } from './todos.repository';
import { TodosService } from './todos.service';

@Module({
  controllers: [TodosGrpcController],
  providers: [TodosService, TodosRepository, ReadCache, EventLog, ChangeFeed, clockProvider],
})
export class TodosModule {}
