import type { AuthUser } from '@micronote/auth-session';
import type { CreatedNoteShare, ItemsResponse, NoteShare } from '@micronote/contracts';
import { notesV1 } from '@micronote/proto';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ClientGrpc } from '@nestjs/microservices';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx, CurrentUser } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtAuthGuard } from '../common/guards/jwt-auth.guard';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { ParseIdPipe } from '../common/pipes/parse-id.pipe';
import { toRestCreatedShare, toRestNoteShare } from '../common/rest/note-organize-shapes';
import type { Env } from '../config/env.validation';
import { CreateShareDto } from './dto/note-organize.dto';

/** /api/notes/:id/shares: a note's public read-only links (the public read is PublicNotesHttpController). */
@ApiTags('notes')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('notes/:id/shares')
export class NoteSharesHttpController implements OnModuleInit {
  private notes!: notesV1.NotesServiceClient;
  private readonly webOrigin: string | undefined;

  constructor(
    @Inject(notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME) private readonly client: ClientGrpc,
    private readonly grpc: GrpcCaller,
    config: ConfigService<Env, true>,
  ) {
    this.webOrigin = config.get('WEB_ORIGIN', { infer: true });
  }

  onModuleInit(): void {
    this.notes = this.client.getService<notesV1.NotesServiceClient>(notesV1.NOTES_SERVICE_NAME);
  }

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Make a public read-only link to the note',
    description:
      'The answer carries the token and the SPA page `url` (`<WEB_ORIGIN>/s/<token>`) once; afterwards only a hash of the token is kept. ' +
      'The link shows the current title and text until it is revoked or expires, or the note goes to the trash. At most 20 active links per note.',
  })
  @ApiCreatedResponse({ description: '`{id, token, url, expiresAt, createdAt}`' })
  @ApiNotFoundResponse({ description: 'no such note, or not yours' })
  async create(
    @Param('id', ParseIdPipe) noteId: string,
    @Body() body: CreateShareDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
    @Req() request: FastifyRequest,
  ): Promise<CreatedNoteShare> {
    const created = await this.grpc.call(
      this.notes,
      'createNoteShare',
      { userId: user.userId, noteId, expiresAt: body.expiresAt ?? undefined, clientId: ctx.clientId },
      ctx,
    );
    return toRestCreatedShare(created, this.webOrigin ?? `${request.protocol}://${request.host}`);
  }

  @Get()
  @ApiOperation({ summary: "The note's active links (never their tokens), newest first" })
  async list(@Param('id', ParseIdPipe) noteId: string, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<ItemsResponse<NoteShare>> {
    const response = await this.grpc.call(this.notes, 'listNoteShares', { userId: user.userId, noteId }, ctx);
    return { items: (response.items ?? []).map(toRestNoteShare) };
  }

  @Delete(':shareId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a link: it answers 404 from now on' })
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiNotFoundResponse({ description: 'no such note or link (SHARE_NOT_FOUND), or not yours' })
  async revoke(
    @Param('id', ParseIdPipe) noteId: string,
    @Param('shareId', ParseIdPipe) shareId: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<void> {
    await this.grpc.call(this.notes, 'deleteNoteShare', { userId: user.userId, noteId, shareId, clientId: ctx.clientId }, ctx);
  }
}
