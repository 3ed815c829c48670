import { ChangeFeed, EventLog, ReadCache } from '@micronote/events';
import { PushQueue } from '@micronote/push';
import { clockProvider } from '@micronote/server-data';
import { Module } from '@nestjs/common';

import { TodoListsRepository } from '../todo-lists/todo-lists.repository';
import { TodoListsService } from '../todo-lists/todo-lists.service';
import { ReminderScheduler } from './reminder-scheduler';
import { TodoBulkService } from './todo-bulk.service';
import { TodoOrder } from './todo-order';
import { TodosGrpcController } from './todos.grpc.controller';
import { TodosRepository } from './todos.repository';
import { TodosService } from './todos.service';

@Module({
  controllers: [TodosGrpcController],
  providers: [
    TodosService,
    TodoBulkService,
    TodosRepository,
    TodoOrder,
    ReminderScheduler,
    PushQueue,
    TodoListsService,
    TodoListsRepository,
    ReadCache,
    EventLog,
    ChangeFeed,
    clockProvider,
  ],
})
export class TodosModule {}
