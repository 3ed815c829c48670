import { ReadCache } from '@micronote/events';
import { Module } from '@nestjs/common';

import { TodosHttpController } from './todos.http.controller';

/** /api/todos: REST over todos-service (the gRPC client and GrpcCaller come from the global GrpcModule). */
@Module({
  controllers: [TodosHttpController],
  providers: [ReadCache],
})
export class TodosModule {}
