import type { AuthUser } from '@micronote/auth-session';
import type { Invitation, ItemsResponse, MemberRole } from '@micronote/contracts';
import { notesV1, todosV1 } from '@micronote/proto';
import type { OnModuleInit } from '@nestjs/common';
import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx, CurrentUser } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtAuthGuard } from '../common/guards/jwt-auth.guard';
import { PeopleView } from './people-view';

/** An invitation as a service answers it, before the owner gets a name. */
interface PendingInvitation {
  kind: Invitation['kind'];
  id: string;
  title: string;
  role: string;
  ownerId: string;
  invitedAt: string;
}

/** /api/shared: what others share with the caller, across notes and lists. */
@ApiTags('sharing')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('shared')
export class SharedHttpController implements OnModuleInit {
  private notes!: notesV1.NotesServiceClient;
  private todos!: todosV1.TodosServiceClient;

  constructor(
    @Inject(notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME) private readonly notesClient: ClientGrpc,
    @Inject(todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME) private readonly todosClient: ClientGrpc,
    private readonly grpc: GrpcCaller,
    private readonly people: PeopleView,
  ) {}

  onModuleInit(): void {
    this.notes = this.notesClient.getService<notesV1.NotesServiceClient>(notesV1.NOTES_SERVICE_NAME);
    this.todos = this.todosClient.getService<todosV1.TodosServiceClient>(todosV1.TODOS_SERVICE_NAME);
  }

  @Get('invitations')
  @ApiOperation({
    summary: 'Invitations waiting for my answer',
    description:
      'Notes (and todo lists) shared with me that I have not accepted yet, newest first. Accept with `POST …/members/me/accept`, decline with `DELETE …/members/me`.',
  })
  @ApiOkResponse({ description: '`{items}`' })
  async invitations(@CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<ItemsResponse<Invitation>> {
    const [notes, lists] = await Promise.all([
      this.grpc.call(this.notes, 'listNoteInvitations', { userId: user.userId }, ctx),
      this.grpc.call(this.todos, 'listListInvitations', { userId: user.userId }, ctx),
    ]);
    const pending: PendingInvitation[] = [
      ...(notes.items ?? []).map((n) => ({
        kind: 'note' as const,
        id: n.noteId,
        title: n.title,
        role: n.role,
        ownerId: n.ownerId,
        invitedAt: n.invitedAt,
      })),
      ...(lists.items ?? []).map((l) => ({
        kind: 'list' as const,
        id: l.listId,
        title: l.name,
        role: l.role,
        ownerId: l.ownerId,
        invitedAt: l.invitedAt,
      })),
    ];
    pending.sort((a, b) => b.invitedAt.localeCompare(a.invitedAt));
    const names = await this.people.people(new Set(pending.map((p) => p.ownerId)), ctx);
    return {
      items: pending.map(({ ownerId, role, ...rest }) => ({
        ...rest,
        role: role as MemberRole,
        owner: this.people.person(names, ownerId),
      })),
    };
  }
}
