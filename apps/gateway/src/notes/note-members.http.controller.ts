import type { AuthUser } from '@micronote/auth-session';
import type { Member, MembersResponse, Note, Page } from '@micronote/contracts';
import { notesV1 } from '@micronote/proto';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
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
import { PeopleView } from '../sharing/people-view';
import { SharedNotesQueryDto } from './dto/notes.dto';
import { NoteViews } from './note-views';

const OWNER_ONLY = 'INSUFFICIENT_ROLE: a member who is not the owner';
const NOT_SHARED = 'NOTE_NOT_FOUND: no such note, or neither yours nor shared with you';

/**
 * Sharing a note with people: the owner invites MicroNote users by username or e-mail as viewer
 * or editor, the invitee accepts (until then the note is a 404 for them), the owner changes roles
 * and removes members, a member leaves. notes-service checks the caller's role on every call.
 */
@ApiTags('sharing')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('notes')
export class NoteMembersHttpController implements OnModuleInit {
  private notes!: notesV1.NotesServiceClient;

  constructor(
    @Inject(notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME) private readonly client: ClientGrpc,
    private readonly grpc: GrpcCaller,
    private readonly people: PeopleView,
    private readonly views: NoteViews,
    private readonly invitations: Invitations,
  ) {}

  onModuleInit(): void {
    this.notes = this.client.getService<notesV1.NotesServiceClient>(notesV1.NOTES_SERVICE_NAME);
  }

  /** Notes others shared with the caller (accepted), newest updated first, each with `access`. */
  @Get('shared')
  @ApiOperation({ summary: 'Notes shared with me', description: 'Accepted invitations only; `access.owner` names the owner.' })
  @ApiBadRequestResponse({ description: "A cursor that is not this list's" })
  async shared(@Query() query: SharedNotesQueryDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<Page<Note>> {
    const request = { userId: user.userId, limit: query.limit ?? 0, cursor: query.cursor ?? '' };
    const page = await this.grpc.call(this.notes, 'listSharedNotes', request, ctx);
    return { items: await this.views.many(page.items ?? [], ctx), nextCursor: page.nextCursor ?? null };
  }

  @Post(':id/members')
  @Idempotent()
  @ApiOperation({
    summary: 'Invite someone to the note (owner only)',
    description: '`user` is a username or an e-mail (case-insensitive). The invitee sees the note once they accept.',
  })
  @ApiCreatedResponse({ description: 'The member, `status: pending`' })
  @ApiBadRequestResponse({ description: 'CANNOT_SHARE_WITH_SELF, or VALIDATION_FAILED' })
  @ApiForbiddenResponse({ description: OWNER_ONLY })
  @ApiNotFoundResponse({ description: `${NOT_SHARED}; USER_NOT_FOUND: no user of that name or e-mail` })
  @ApiConflictResponse({ description: 'ALREADY_MEMBER, or TOO_MANY_MEMBERS (50 per note)' })
  async invite(
    @Param('id', ParseIdPipe) noteId: string,
    @Body() body: InviteMemberDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Member> {
    const note = {
      kind: 'note' as const,
      id: noteId,
      title: async () => (await this.grpc.call(this.notes, 'getNote', { userId: user.userId, id: noteId }, ctx)).title,
    };
    return this.invitations.invite(
      body.user,
      note,
      (memberId) =>
        this.grpc.call(
          this.notes,
          'inviteNoteMember',
          { userId: user.userId, noteId, memberId, role: body.role, clientId: ctx.clientId },
          ctx,
        ),
      ctx,
    );
  }

  @Get(':id/members')
  @ApiOperation({ summary: "The note's owner and members (pending ones too)", description: 'For the owner and accepted members.' })
  @ApiOkResponse({ description: '`{owner, items}`' })
  @ApiNotFoundResponse({ description: NOT_SHARED })
  async list(
    @Param('id', ParseIdPipe) noteId: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<MembersResponse> {
    const response = await this.grpc.call(this.notes, 'listNoteMembers', { userId: user.userId, noteId }, ctx);
    return this.people.members(response.ownerId, response.items ?? [], ctx);
  }

  @Patch(':id/members/:userId')
  @ApiOperation({ summary: "Change a member's role (owner only)" })
  @ApiForbiddenResponse({ description: OWNER_ONLY })
  @ApiNotFoundResponse({ description: `${NOT_SHARED}; MEMBER_NOT_FOUND` })
  async update(
    @Param('id', ParseIdPipe) noteId: string,
    @Param('userId', ParseIdPipe) memberId: string,
    @Body() body: UpdateMemberDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Member> {
    const request = { userId: user.userId, noteId, memberId, role: body.role, clientId: ctx.clientId };
    return this.people.oneMember(await this.grpc.call(this.notes, 'updateNoteMember', request, ctx), ctx);
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a member (owner), or leave / decline (`me`)',
    description: "A removed member's live session of the note is closed at once.",
  })
  @ApiNoContentResponse({ description: 'removed' })
  @ApiForbiddenResponse({ description: OWNER_ONLY })
  @ApiNotFoundResponse({ description: `${NOT_SHARED}; MEMBER_NOT_FOUND` })
  async remove(
    @Param('id', ParseIdPipe) noteId: string,
    @Param('userId', ParseMemberIdPipe) memberId: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<void> {
    const request = { userId: user.userId, noteId, memberId: memberId === ME ? user.userId : memberId, clientId: ctx.clientId };
    await this.grpc.call(this.notes, 'removeNoteMember', request, ctx);
  }

  @Post(':id/members/me/accept')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation to the note', description: 'Accepting again answers the note again.' })
  @ApiOkResponse({ description: 'The note, with `access`' })
  @ApiNotFoundResponse({ description: 'NOTE_NOT_FOUND: no invitation to this note for you' })
  async accept(@Param('id', ParseIdPipe) noteId: string, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<Note> {
    const note = await this.grpc.call(this.notes, 'acceptNoteInvitation', { userId: user.userId, noteId, clientId: ctx.clientId }, ctx);
    return this.views.one(note, ctx);
  }
}
