import type { AuthUser } from '@micronote/auth-session';
import type { AccessRole, ItemsResponse, Member, MembersResponse, TodoList } from '@micronote/contracts';
import { todosV1 } from '@micronote/proto';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx, CurrentUser } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtAuthGuard } from '../common/guards/jwt-auth.guard';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { ME, ParseIdPipe, ParseMemberIdPipe } from '../common/pipes/parse-id.pipe';
import { Invitations } from '../sharing/invitations';
import { InviteMemberDto, UpdateMemberDto } from '../sharing/members.dto';
import type { People } from '../sharing/people-view';
import { PeopleView } from '../sharing/people-view';
import { CreateTodoListDto, UpdateTodoListDto } from './dto/todo-lists.dto';

const OWNER_ONLY = 'INSUFFICIENT_ROLE: a member who is not the owner';
const NOT_SHARED = 'LIST_NOT_FOUND: no such list, or neither yours nor shared with you';

type Context = Pick<RequestContext, 'requestId' | 'userId'>;

/**
 * Todo lists, shared with people like notes: the owner creates, renames and deletes a list and
 * invites MicroNote users by username or e-mail as viewer or editor; an accepted editor adds,
 * edits and completes the list's todos (`/api/todos` with `listId`), a viewer reads them. Anyone
 * else gets 404. todos-service checks the caller's role on every call.
 */
@ApiTags('lists')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('lists')
export class TodoListsHttpController implements OnModuleInit {
  private todos!: todosV1.TodosServiceClient;

  constructor(
    @Inject(todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME) private readonly client: ClientGrpc,
    private readonly grpc: GrpcCaller,
    private readonly people: PeopleView,
    private readonly invitations: Invitations,
  ) {}

  onModuleInit(): void {
    this.todos = this.client.getService<todosV1.TodosServiceClient>(todosV1.TODOS_SERVICE_NAME);
  }

  @Get()
  @ApiOperation({ summary: 'My todo lists, then those shared with me (accepted)', description: 'Each by name, with my `role`.' })
  @ApiOkResponse({ description: '`{items}`' })
  async list(@CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<ItemsResponse<TodoList>> {
    const response = await this.grpc.call(this.todos, 'listTodoLists', { userId: user.userId }, ctx);
    return { items: await this.views(response.items ?? [], ctx) };
  }

  @Post()
  @Idempotent({ resourcePath: '/api/lists' })
  @ApiOperation({ summary: 'Create a todo list' })
  @ApiCreatedResponse({ description: 'The list, `role: owner`' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: a name of 1 to 100 characters' })
  @ApiForbiddenResponse({ description: 'QUOTA_EXCEEDED: 200 lists per user' })
  async create(@Body() body: CreateTodoListDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<TodoList> {
    const list = await this.grpc.call(this.todos, 'createTodoList', { userId: user.userId, name: body.name, clientId: ctx.clientId }, ctx);
    return this.view(list, ctx);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One todo list (owner and accepted members)' })
  @ApiNotFoundResponse({ description: NOT_SHARED })
  async get(@Param('id', ParseIdPipe) id: string, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<TodoList> {
    return this.view(await this.grpc.call(this.todos, 'getTodoList', { userId: user.userId, id }, ctx), ctx);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a todo list (owner only)' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiForbiddenResponse({ description: OWNER_ONLY })
  @ApiNotFoundResponse({ description: NOT_SHARED })
  async update(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: UpdateTodoListDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<TodoList> {
    const request = { userId: user.userId, id, name: body.name, clientId: ctx.clientId };
    return this.view(await this.grpc.call(this.todos, 'updateTodoList', request, ctx), ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a todo list with its todos (owner only)', description: 'Its members get TODO_LIST_DELETED.' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiForbiddenResponse({ description: OWNER_ONLY })
  @ApiNotFoundResponse({ description: NOT_SHARED })
  async delete(@Param('id', ParseIdPipe) id: string, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<void> {
    await this.grpc.call(this.todos, 'deleteTodoList', { userId: user.userId, id, clientId: ctx.clientId }, ctx);
  }

  @Post(':id/members')
  @Idempotent()
  @ApiOperation({
    summary: 'Invite someone to the list (owner only)',
    description: '`user` is a username or an e-mail (case-insensitive). The invitee sees the list once they accept.',
  })
  @ApiCreatedResponse({ description: 'The member, `status: pending`' })
  @ApiBadRequestResponse({ description: 'CANNOT_SHARE_WITH_SELF, or VALIDATION_FAILED' })
  @ApiForbiddenResponse({ description: OWNER_ONLY })
  @ApiNotFoundResponse({ description: `${NOT_SHARED}; USER_NOT_FOUND: no user of that name or e-mail` })
  @ApiConflictResponse({ description: 'ALREADY_MEMBER, or TOO_MANY_MEMBERS (50 per list)' })
  async invite(
    @Param('id', ParseIdPipe) listId: string,
    @Body() body: InviteMemberDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Member> {
    const list = {
      kind: 'list' as const,
      id: listId,
      title: async () => (await this.grpc.call(this.todos, 'getTodoList', { userId: user.userId, id: listId }, ctx)).name,
    };
    return this.invitations.invite(
      body.user,
      list,
      (memberId) => this.grpc.call(this.todos, 'inviteListMember', { userId: user.userId, listId, memberId, role: body.role }, ctx),
      ctx,
    );
  }

  @Get(':id/members')
  @ApiOperation({ summary: "The list's owner and members (pending ones too)", description: 'For the owner and accepted members.' })
  @ApiOkResponse({ description: '`{owner, items}`' })
  @ApiNotFoundResponse({ description: NOT_SHARED })
  async members(
    @Param('id', ParseIdPipe) listId: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<MembersResponse> {
    const response = await this.grpc.call(this.todos, 'listListMembers', { userId: user.userId, listId }, ctx);
    return this.people.members(response.ownerId, response.items ?? [], ctx);
  }

  @Patch(':id/members/:userId')
  @ApiOperation({ summary: "Change a member's role (owner only)" })
  @ApiForbiddenResponse({ description: OWNER_ONLY })
  @ApiNotFoundResponse({ description: `${NOT_SHARED}; MEMBER_NOT_FOUND` })
  async updateMember(
    @Param('id', ParseIdPipe) listId: string,
    @Param('userId', ParseIdPipe) memberId: string,
    @Body() body: UpdateMemberDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Member> {
    const request = { userId: user.userId, listId, memberId, role: body.role };
    return this.people.oneMember(await this.grpc.call(this.todos, 'updateListMember', request, ctx), ctx);
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (owner), or leave / decline (`me`)' })
  @ApiNoContentResponse({ description: 'removed' })
  @ApiForbiddenResponse({ description: OWNER_ONLY })
  @ApiNotFoundResponse({ description: `${NOT_SHARED}; MEMBER_NOT_FOUND` })
  async removeMember(
    @Param('id', ParseIdPipe) listId: string,
    @Param('userId', ParseMemberIdPipe) memberId: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<void> {
    const request = { userId: user.userId, listId, memberId: memberId === ME ? user.userId : memberId };
    await this.grpc.call(this.todos, 'removeListMember', request, ctx);
  }

  @Post(':id/members/me/accept')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation to the list', description: 'Accepting again answers the list again.' })
  @ApiOkResponse({ description: 'The list, with my `role`' })
  @ApiNotFoundResponse({ description: 'LIST_NOT_FOUND: no invitation to this list for you' })
  async accept(@Param('id', ParseIdPipe) listId: string, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<TodoList> {
    return this.view(await this.grpc.call(this.todos, 'acceptListInvitation', { userId: user.userId, listId }, ctx), ctx);
  }

  /** The REST lists, owners by name (one GetUsers call per answer). */
  private async views(lists: readonly todosV1.TodoList[], ctx: Context): Promise<TodoList[]> {
    const people: People = await this.people.people(new Set(lists.map((list) => list.ownerId)), ctx);
    return lists.map((list) => ({
      id: list.id,
      name: list.name,
      role: list.role as AccessRole,
      owner: this.people.person(people, list.ownerId),
      members: list.members,
      open: list.open,
      createdAt: list.createdAt,
      updatedAt: list.updatedAt,
    }));
  }

  private async view(list: todosV1.TodoList, ctx: Context): Promise<TodoList> {
    return (await this.views([list], ctx))[0];
  }
}
