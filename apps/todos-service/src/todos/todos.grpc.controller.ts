// jscpd:ignore-start -- import list: alike in the twins by design (tools/scripts/check-twins.mjs)
import { EventLog, todoEventStream } from '@micronote/events';
import type { commonV1 } from '@micronote/proto';
import { todosV1 } from '@micronote/proto';
import { AcceptCallers, GrpcEndpoint } from '@micronote/server-core';
import { FOR_USER, PURGER } from '@micronote/server-data';
import { Controller } from '@nestjs/common';
import { from, Observable } from 'rxjs';

import { TodoListsService } from '../todo-lists/todo-lists.service';
import { TodoBulkService } from './todo-bulk.service';
import { TodosService } from './todos.service';
// jscpd:ignore-end

// jscpd:ignore-start -- the gRPC controller's header and injection: alike in both twins by design
@Controller()
@GrpcEndpoint()
@todosV1.TodosServiceControllerMethods()
export class TodosGrpcController implements todosV1.TodosServiceController {
  constructor(
    private readonly todos: TodosService,
    private readonly events: EventLog,
    private readonly lists: TodoListsService,
    private readonly bulk: TodoBulkService,
  ) {}
  // jscpd:ignore-end

  @AcceptCallers(FOR_USER)
  createTodo(request: todosV1.CreateTodoRequest): Promise<todosV1.Todo> {
    return this.todos.create(request);
  }

  @AcceptCallers(FOR_USER)
  getTodo(request: todosV1.GetTodoRequest): Promise<todosV1.Todo> {
    return this.todos.get(request.userId, request.id);
  }

  @AcceptCallers(FOR_USER)
  updateTodo(request: todosV1.UpdateTodoRequest): Promise<todosV1.Todo> {
    return this.todos.update(request);
  }

  @AcceptCallers(FOR_USER)
  moveTodo(request: todosV1.MoveTodoRequest): Promise<todosV1.Todo> {
    return this.todos.move(request);
  }

  @AcceptCallers(FOR_USER)
  snoozeTodo(request: todosV1.SnoozeTodoRequest): Promise<todosV1.Todo> {
    return this.todos.snooze(request);
  }

  @AcceptCallers(FOR_USER)
  listTodoCompletions(request: todosV1.ListTodoCompletionsRequest): Promise<todosV1.ListTodoCompletionsResponse> {
    return this.todos.completions(request);
  }

  @AcceptCallers(FOR_USER)
  bulkTodos(request: todosV1.BulkTodosRequest): Promise<todosV1.BulkTodosResponse> {
    return this.bulk.bulk(request);
  }

  @AcceptCallers(FOR_USER)
  async deleteTodo(request: todosV1.DeleteTodoRequest): Promise<commonV1.Empty> {
    await this.todos.delete(request);
    return {};
  }

  @AcceptCallers(FOR_USER)
  listTodos(request: todosV1.ListTodosRequest): Promise<todosV1.ListTodosResponse> {
    return this.todos.list(request);
  }

  @AcceptCallers(FOR_USER)
  getTodoStats(request: todosV1.GetTodoStatsRequest): Promise<todosV1.TodoStats> {
    return this.todos.stats(request);
  }

  @AcceptCallers(FOR_USER)
  exportTodos(request: todosV1.ExportTodosRequest): Observable<todosV1.Todo> {
    return from(this.todos.export(request.userId));
  }

  @AcceptCallers(FOR_USER)
  importTodos(request: todosV1.ImportTodosRequest): Promise<todosV1.ImportTodosResponse> {
    return this.todos.import(request);
  }

  @AcceptCallers(PURGER)
  async deleteUserTodos(request: todosV1.DeleteUserTodosRequest): Promise<todosV1.DeleteUserTodosResponse> {
    return { deleted: await this.todos.deleteAllOfUser(request.userId) };
  }

  /** The user's todo events, catch-up then live (the internal way to subscribe; see the README). */
  @AcceptCallers(FOR_USER)
  streamTodoUpdates(request: todosV1.StreamTodoUpdatesRequest): Observable<todosV1.TodoEvent> {
    return todoEventStream(this.events, request);
  }

  // Todo lists shared with people (todo-lists/): the access rules are TodoListsService's.

  @AcceptCallers(FOR_USER)
  createTodoList(request: todosV1.CreateTodoListRequest): Promise<todosV1.TodoList> {
    return this.lists.create(request);
  }

  @AcceptCallers(FOR_USER)
  getTodoList(request: todosV1.GetTodoListRequest): Promise<todosV1.TodoList> {
    return this.lists.get(request);
  }

  @AcceptCallers(FOR_USER)
  listTodoLists(request: todosV1.ListTodoListsRequest): Promise<todosV1.ListTodoListsResponse> {
    return this.lists.list(request);
  }

  @AcceptCallers(FOR_USER)
  updateTodoList(request: todosV1.UpdateTodoListRequest): Promise<todosV1.TodoList> {
    return this.lists.update(request);
  }

  @AcceptCallers(FOR_USER)
  async deleteTodoList(request: todosV1.DeleteTodoListRequest): Promise<commonV1.Empty> {
    await this.lists.delete(request);
    return {};
  }

  @AcceptCallers(FOR_USER)
  inviteListMember(request: todosV1.InviteListMemberRequest): Promise<todosV1.ListMember> {
    return this.lists.invite(request);
  }

  @AcceptCallers(FOR_USER)
  listListMembers(request: todosV1.ListListMembersRequest): Promise<todosV1.ListListMembersResponse> {
    return this.lists.members(request);
  }

  @AcceptCallers(FOR_USER)
  updateListMember(request: todosV1.UpdateListMemberRequest): Promise<todosV1.ListMember> {
    return this.lists.updateMember(request);
  }

  @AcceptCallers(FOR_USER)
  async removeListMember(request: todosV1.RemoveListMemberRequest): Promise<commonV1.Empty> {
    await this.lists.removeMember(request);
    return {};
  }

  @AcceptCallers(FOR_USER)
  acceptListInvitation(request: todosV1.AcceptListInvitationRequest): Promise<todosV1.TodoList> {
    return this.lists.accept(request);
  }

  @AcceptCallers(FOR_USER)
  listListInvitations(request: todosV1.ListListInvitationsRequest): Promise<todosV1.ListListInvitationsResponse> {
    return this.lists.invitations(request);
  }
}
