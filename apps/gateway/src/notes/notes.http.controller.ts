import type { AuthUser } from '@micronote/auth-session';
import type { ItemsResponse, Note, NoteStats, Page, TagCount } from '@micronote/contracts';
import { CacheScope, ReadCache } from '@micronote/events';
import { notesV1 } from '@micronote/proto';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, UseGuards } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx, CurrentUser } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtAuthGuard } from '../common/guards/jwt-auth.guard';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { ParseIdPipe } from '../common/pipes/parse-id.pipe';
import { toRestNote } from '../common/rest/rest-shapes';
import { CreateNoteDto, DeleteNoteQueryDto, ListNotesQueryDto, UpdateNoteDto } from './dto/notes.dto';

/** notes-service's cache scope: its writes bump this scope's version, which the edge cache shares. */
const NOTES_CACHE_SCOPE = CacheScope.Notes;

@ApiTags('notes')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('notes')
export class NotesHttpController implements OnModuleInit {
  private notes!: notesV1.NotesServiceClient;

  constructor(
    @Inject(notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME) private readonly client: ClientGrpc,
    private readonly grpc: GrpcCaller,
    private readonly cache: ReadCache,
  ) {}

  onModuleInit(): void {
    this.notes = this.client.getService<notesV1.NotesServiceClient>(notesV1.NOTES_SERVICE_NAME);
  }

  /**
   * Pinned first, then most recently updated; with `q`, most relevant first. Neither archived nor
   * trashed unless asked. Pages are cached at the edge (ReadCache, the services' scope): a repeated read is
   * answered from Redis without the gRPC hop; notes-service bumps the user's cache version before it
   * acknowledges a write, so the next read misses (read-your-writes).
   */
  @Get()
  async list(@Query() query: ListNotesQueryDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<Page<Note>> {
    const request: notesV1.ListNotesRequest = {
      userId: user.userId,
      q: query.q ?? '',
      tag: query.tag ?? '',
      pinned: query.pinned,
      archived: query.archived ?? false,
      trashed: query.trashed ?? false,
      limit: query.limit ?? 0,
      cursor: query.cursor ?? '',
    };
    return this.cache.read(NOTES_CACHE_SCOPE, user.userId, ['rest-list', request], async () => {
      const page = await this.grpc.call(this.notes, 'listNotes', request, ctx);
      return { items: (page.items ?? []).map(toRestNote), nextCursor: page.nextCursor ?? null };
    });
  }

  @Post()
  @Idempotent({ resourcePath: '/api/notes' })
  async create(@Body() body: CreateNoteDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<Note> {
    const request = {
      userId: user.userId,
      title: body.title,
      text: body.text,
      tags: body.tags ?? [],
      isPinned: body.isPinned ?? false,
      clientId: ctx.clientId,
      idempotencyKey: ctx.idempotencyKey || undefined,
    };
    return toRestNote(await this.grpc.call(this.notes, 'createNote', request, ctx));
  }

  /** Tags of the notes outside the trash, with how many notes carry each. */
  @Get('tags')
  async tags(@CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<ItemsResponse<TagCount>> {
    const response = await this.grpc.call(this.notes, 'listTags', { userId: user.userId }, ctx);
    return { items: response.items ?? [] };
  }

  @Get('stats')
  stats(@CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<NoteStats> {
    return this.grpc.call(this.notes, 'getNoteStats', { userId: user.userId }, ctx);
  }

  @Get(':id')
  async get(@Param('id', ParseIdPipe) id: string, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<Note> {
    return toRestNote(await this.grpc.call(this.notes, 'getNote', { userId: user.userId, id }, ctx));
  }

  @Patch(':id')
  update(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: UpdateNoteDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Note> {
    return this.applyUpdate(id, body, user, ctx);
  }

  /** Same as PATCH: only the fields sent change. */
  @Put(':id')
  replace(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: UpdateNoteDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Note> {
    return this.applyUpdate(id, body, user, ctx);
  }

  /** To the trash (still readable by id); `?permanent=true`: gone for good. */
  @Delete(':id')
  @HttpCode(204)
  async remove(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: DeleteNoteQueryDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<void> {
    await this.grpc.call(
      this.notes,
      'deleteNote',
      { userId: user.userId, id, permanent: query.permanent ?? false, clientId: ctx.clientId },
      ctx,
    );
  }

  @Post(':id/restore')
  @Idempotent({ resourcePath: '/api/notes' })
  @HttpCode(200)
  async restore(@Param('id', ParseIdPipe) id: string, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<Note> {
    return toRestNote(await this.grpc.call(this.notes, 'restoreNote', { userId: user.userId, id, clientId: ctx.clientId }, ctx));
  }

  private async applyUpdate(id: string, body: UpdateNoteDto, user: AuthUser, ctx: RequestContext): Promise<Note> {
    const request: notesV1.UpdateNoteRequest = {
      userId: user.userId,
      id,
      title: body.title,
      text: body.text,
      tags: body.tags ? { tags: body.tags } : undefined,
      isPinned: body.isPinned,
      isArchived: body.isArchived,
      version: body.version,
      clientId: ctx.clientId,
    };
    return toRestNote(await this.grpc.call(this.notes, 'updateNote', request, ctx));
  }
}
