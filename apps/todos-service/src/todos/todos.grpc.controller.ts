import type { commonV1 } from '@micronote/proto';
import { todosV1 } from '@micronote/proto';
import { DomainError, GrpcExceptionFilter, GrpcStatus } from '@micronote/server-core';
import { Controller, UseFilters } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { from } from 'rxjs';

import { TodosService } from './todos.service';

@Controller()
@UseFilters(GrpcExceptionFilter)
@todosV1.TodosServiceControllerMethods()
export class TodosGrpcController implements todosV1.TodosServiceController {
  constructor(private readonly todos: TodosService) {}

  createTodo(request: todosV1.CreateTodoRequest): Promise<todosV1.Todo> {
    return this.todos.create(request);
  }

  getTodo(request: todosV1.GetTodoRequest): Promise<todosV1.Todo> {
    return this.todos.get(request.userId, request.id);
  }

  updateTodo(request: todosV1.UpdateTodoRequest): Promise<todosV1.Todo> {
    return this.todos.update(request);
  }

  async deleteTodo(request: todosV1.DeleteTodoRequest): Promise<commonV1.Empty> {
    await this.todos.delete(request);
    return {};
  }

  listTodos(request: todosV1.ListTodosRequest): Promise<todosV1.ListTodosResponse> {
    return this.todos.list(request);
  }

  getTodoStats(request: todosV1.GetTodoStatsRequest): Promise<todosV1.TodoStats> {
    return this.todos.stats(request.userId);
  }

  exportTodos(request: todosV1.ExportTodosRequest): Observable<todosV1.Todo> {
    return from(this.todos.export(request.userId));
  }

  importTodos(request: todosV1.ImportTodosRequest): Promise<todosV1.ImportTodosResponse> {
    return this.todos.import(request);
  }

  async deleteUserTodos(request: todosV1.DeleteUserTodosRequest): Promise<todosV1.DeleteUserTodosResponse> {
    return { deleted: await this.todos.deleteAllOfUser(request.userId) };
  }

  streamTodoUpdates(): Observable<todosV1.TodoEvent> {
    // Comes with the realtime event log (see the realtime issue); until then an honest UNIMPLEMENTED.
    throw new DomainError('NOT_IMPLEMENTED', 'StreamTodoUpdates is not available yet', GrpcStatus.UNIMPLEMENTED);
  }
}
