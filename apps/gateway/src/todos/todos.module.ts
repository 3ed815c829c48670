import { ReadCache } from '@micronote/events';
import { Module } from '@nestjs/common';

import { SharingModule } from '../sharing/sharing.module';
import { TodoListsHttpController } from './todo-lists.http.controller';
import { TodosHttpController } from './todos.http.controller';

/** /api/todos and /api/lists: REST over todos-service (the gRPC client and GrpcCaller come from the global GrpcModule). */
@Module({
  imports: [SharingModule],
  controllers: [TodosHttpController, TodoListsHttpController],
  providers: [ReadCache],
})
export class TodosModule {}
