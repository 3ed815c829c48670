import type { AuthUser } from '@micronote/auth-session';
import type { BulkResponse, Page, Todo, TodoBulkAction, TodoCompletion, TodoStats } from '@micronote/contracts';
import { NotificationKind, TODO_LIMITS } from '@micronote/contracts';
import { CacheScope, ReadCache } from '@micronote/events';
import { todosV1 } from '@micronote/proto';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Put, Query, UseGuards } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx, CurrentUser } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtAuthGuard } from '../common/guards/jwt-auth.guard';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { ParseIdPipe } from '../common/pipes/parse-id.pipe';
import { toRestBulkItem } from '../common/rest/note-organize-shapes';
import { toRestTodo, toRestTodoCompletion, toRestTodoStats } from '../common/rest/rest-shapes';
import { Notifier } from '../sharing/notifier';
import { ApiTimeZoneHeader, TIME_ZONE_HEADER, TimeZoneResolver } from '../users/time-zone-resolver';
import {
  CreateTodoDto,
  ListCompletionsQueryDto,
  ListTodosQueryDto,
  MoveTodoDto,
  SnoozeTodoDto,
  TodoBulkDto,
  UpdateTodoDto,
} from './dto/todos.dto';

/** What a bulk item answers when it succeeds: its single call's status (DELETE /api/todos/:id is 204). */
const BULK_SUCCESS: Record<TodoBulkAction, number> = { complete: 200, reopen: 200, update: 200, delete: 204 };

/** todos-service's cache scope: its writes bump this scope's version, which the edge cache shares. */
const TODOS_CACHE_SCOPE = CacheScope.Todos;

@ApiTags('todos')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('todos')
export class TodosHttpController implements OnModuleInit {
  private todos!: todosV1.TodosServiceClient;

  constructor(
    @Inject(todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME) private readonly client: ClientGrpc,
    private readonly grpc: GrpcCaller,
    private readonly cache: ReadCache,
    private readonly notifier: Notifier,
    private readonly timeZones: TimeZoneResolver,
  ) {}

  onModuleInit(): void {
    this.todos = this.client.getService<todosV1.TodosServiceClient>(todosV1.TODOS_SERVICE_NAME);
  }

  /**
   * Top-level todos (or a todo's subtasks with `parentId`): not completed first, then due date
   * (soonest first, none last), then newest, or by position with `order=manual`; keyset pages.
   * `view` and `overdue` are judged in the `X-Time-Zone` zone (else UTC).
   */
  @Get()
  @ApiTimeZoneHeader()
  async list(
    @Query() query: ListTodosQueryDto,
    @Headers(TIME_ZONE_HEADER) timeZoneHeader: string | undefined,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Page<Todo>> {
    const request: todosV1.ListTodosRequest = {
      userId: user.userId,
      completed: query.completed,
      priority: query.priority ?? '',
      category: query.category ?? '',
      dueBefore: query.dueBefore ?? '',
      dueAfter: query.dueAfter ?? '',
      overdue: query.overdue,
      limit: query.limit ?? 0,
      cursor: query.cursor ?? '',
      listId: query.listId ?? '',
      view: query.view ?? '',
      order: query.order ?? '',
      parentId: query.parentId ?? '',
      // Only the views and "overdue" depend on the user's day (the profile is asked only then, without a header).
      timeZone:
        query.view !== undefined || query.overdue !== undefined ? await this.timeZones.resolve(user.userId, timeZoneHeader, ctx) : '',
    };
    const load = async () => {
      const page = await this.grpc.call(this.todos, 'listTodos', request, ctx);
      return { items: (page.items ?? []).map(toRestTodo), nextCursor: page.nextCursor || null };
    };
    // Cached at the edge like notes pages, except "overdue" and the views, which change with the clock alone.
    const byClock = request.overdue !== undefined || request.view !== '';
    return byClock ? load() : this.cache.read(TODOS_CACHE_SCOPE, user.userId, ['rest-list', request], load);
  }

  @Post()
  @Idempotent({ resourcePath: '/api/todos' })
  @ApiTimeZoneHeader()
  async create(
    @Body() body: CreateTodoDto,
    @Headers(TIME_ZONE_HEADER) timeZoneHeader: string | undefined,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Todo> {
    const request: todosV1.CreateTodoRequest = {
      userId: user.userId,
      text: body.text,
      priority: body.priority ?? '',
      dueDate: body.dueDate ?? undefined,
      category: body.category ?? undefined,
      clientId: ctx.clientId,
      idempotencyKey: ctx.idempotencyKey || undefined,
      listId: body.listId ?? '',
      allDay: body.allDay,
      parentId: body.parentId ?? '',
      recurrence: body.recurrence ?? undefined,
      remindAt: body.remindAt ?? undefined,
      // The zone whose wall clock a recurring due time keeps.
      timeZone: body.recurrence ? await this.timeZones.resolve(user.userId, timeZoneHeader, ctx) : '',
    };
    return toRestTodo(await this.grpc.call(this.todos, 'createTodo', request, ctx));
  }

  /** `{total, completed, pending, overdue, completionRate, byPriority, byCategory}` of the top-level todos; overdue in the `X-Time-Zone` zone. */
  @Get('stats')
  @ApiTimeZoneHeader()
  async stats(
    @Headers(TIME_ZONE_HEADER) timeZoneHeader: string | undefined,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<TodoStats> {
    const timeZone = await this.timeZones.resolve(user.userId, timeZoneHeader, ctx);
    return toRestTodoStats(await this.grpc.call(this.todos, 'getTodoStats', { userId: user.userId, timeZone }, ctx));
  }

  /**
   * One action on up to 500 todos, each through the single-todo path in the order of `ids`: `status`
   * is what that todo's own call would have answered (200, 204 for delete, 404 missing or not yours,
   * 403 a viewer's), `code` the error of a failure.
   */
  @Post('bulk')
  @Idempotent()
  @HttpCode(200)
  async bulk(@Body() body: TodoBulkDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<BulkResponse> {
    const fields = body.fields ?? {};
    const request: todosV1.BulkTodosRequest = {
      userId: user.userId,
      ids: body.ids,
      action: body.action,
      priority: fields.priority,
      dueDate: fields.dueDate === undefined ? undefined : fields.dueDate === null ? {} : { value: fields.dueDate },
      allDay: fields.allDay,
      category: fields.category === undefined ? undefined : fields.category === null ? {} : { value: fields.category },
      clientId: ctx.clientId,
    };
    const response = await this.grpc.call(this.todos, 'bulkTodos', request, ctx);
    return { items: (response.items ?? []).map((item) => toRestBulkItem(item, BULK_SUCCESS[body.action])) };
  }

  /** Places the todo between two of its siblings (`after` / `before`, either may be left out at an end): 200 with the todo. */
  @Post(':id/move')
  @Idempotent()
  @HttpCode(200)
  async move(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: MoveTodoDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Todo> {
    const request: todosV1.MoveTodoRequest = {
      userId: user.userId,
      id,
      after: body.after ?? '',
      before: body.before ?? '',
      clientId: ctx.clientId,
    };
    return toRestTodo(await this.grpc.call(this.todos, 'moveTodo', request, ctx));
  }

  /** Reminds again `minutes` (default 10) from now, once: 200 with the todo; a completed todo is 400. */
  @Post(':id/snooze')
  @Idempotent()
  @HttpCode(200)
  async snooze(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: SnoozeTodoDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Todo> {
    const request: todosV1.SnoozeTodoRequest = {
      userId: user.userId,
      id,
      minutes: body.minutes ?? TODO_LIMITS.reminder.snoozeMinutes.default,
      clientId: ctx.clientId,
    };
    return toRestTodo(await this.grpc.call(this.todos, 'snoozeTodo', request, ctx));
  }

  /** The completed occurrences of a recurring todo, newest first (keyset pages); the last of a finished series is the todo's own `completedAt`. */
  @Get(':id/completions')
  async completions(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: ListCompletionsQueryDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Page<TodoCompletion>> {
    const request = { userId: user.userId, id, limit: query.limit ?? 0, cursor: query.cursor ?? '' };
    const page = await this.grpc.call(this.todos, 'listTodoCompletions', request, ctx);
    return { items: (page.items ?? []).map(toRestTodoCompletion), nextCursor: page.nextCursor || null };
  }

  @Get(':id')
  async get(@Param('id', ParseIdPipe) id: string, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<Todo> {
    return toRestTodo(await this.grpc.call(this.todos, 'getTodo', { userId: user.userId, id }, ctx));
  }

  /** Partial update; a stale `version` is 409 with the stored todo in `current`. */
  @Patch(':id')
  @ApiTimeZoneHeader()
  patch(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: UpdateTodoDto,
    @Headers(TIME_ZONE_HEADER) timeZone: string | undefined,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Todo> {
    return this.update(id, body, timeZone, user, ctx);
  }

  /** The same partial update as PATCH. */
  @Put(':id')
  @ApiTimeZoneHeader()
  put(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: UpdateTodoDto,
    @Headers(TIME_ZONE_HEADER) timeZone: string | undefined,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Todo> {
    return this.update(id, body, timeZone, user, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', ParseIdPipe) id: string, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<void> {
    await this.grpc.call(this.todos, 'deleteTodo', { userId: user.userId, id, clientId: ctx.clientId }, ctx);
  }

  private async update(
    id: string,
    body: UpdateTodoDto,
    timeZoneHeader: string | undefined,
    user: AuthUser,
    ctx: RequestContext,
  ): Promise<Todo> {
    const request: todosV1.UpdateTodoRequest = {
      userId: user.userId,
      id,
      text: body.text,
      completed: body.completed,
      priority: body.priority,
      // Absent: unchanged; null: cleared (a NullableString without a value).
      dueDate: body.dueDate === undefined ? undefined : body.dueDate === null ? {} : { value: body.dueDate },
      category: body.category === undefined ? undefined : body.category === null ? {} : { value: body.category },
      version: body.version,
      clientId: ctx.clientId,
      // Absent: unchanged; null: out of its list.
      listId: body.listId === undefined ? undefined : (body.listId ?? ''),
      allDay: body.allDay,
      // Absent: unchanged; null: top-level.
      parentId: body.parentId === undefined ? undefined : body.parentId === null ? {} : { value: body.parentId },
      recurrence: body.recurrence === undefined ? undefined : body.recurrence === null ? {} : { value: body.recurrence },
      remindAt: body.remindAt === undefined ? undefined : body.remindAt === null ? {} : { value: body.remindAt },
      timeZone: body.recurrence ? await this.timeZones.resolve(user.userId, timeZoneHeader, ctx) : '',
    };
    const todo = await this.grpc.call(this.todos, 'updateTodo', request, ctx);
    // A recurring todo completed is open again at its next occurrence: still a completion.
    if (body.completed === true && (todo.completed || todo.recurrence) && todo.listId) this.notifyCompleted(todo, ctx);
    return toRestTodo(todo);
  }

  /** "X completed a todo in list Y" to the list's owner and accepted members (the same completion once). */
  private notifyCompleted(todo: todosV1.Todo, ctx: RequestContext): void {
    const listId = todo.listId as string;
    this.notifier.later(
      NotificationKind.TodoCompleted,
      async () => {
        const [list, members] = await Promise.all([
          this.grpc.call(this.todos, 'getTodoList', { userId: ctx.userId ?? '', id: listId }, ctx),
          this.grpc.call(this.todos, 'listListMembers', { userId: ctx.userId ?? '', listId }, ctx),
        ]);
        const accepted = (members.items ?? []).filter((m) => m.status === 'accepted').map((m) => m.userId);
        return {
          kind: NotificationKind.TodoCompleted,
          recipients: [members.ownerId, ...accepted],
          subject: { kind: 'todo', id: todo.id, title: todo.text },
          list: { id: listId, name: list.name },
          dedupeKey: `todo-completed:${todo.id}:${todo.completedAt ?? todo.updatedAt}`,
        };
      },
      ctx,
    );
  }
}
