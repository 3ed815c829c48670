import type { AuthUser } from '@micronote/auth-session';
import type { ItemsResponse, Note, NoteRevision, NoteRevisionSummary, NoteStats, Page, TagCount, UpdatedNote } from '@micronote/contracts';
import { ErrorCode } from '@micronote/contracts';
import { CacheScope, ReadCache } from '@micronote/events';
import { notesV1 } from '@micronote/proto';
import { DomainError, GrpcStatus, httpErrorFromGrpc, isGrpcServiceError } from '@micronote/server-core';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, UseGuards } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
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
import { ParseIdPipe, ParseVersionPipe } from '../common/pipes/parse-id.pipe';
import { withRestDetails } from '../common/rest/rest-error-details';
import { noteAtRevision, toRestRevision, toRestRevisionSummary } from '../common/rest/rest-shapes';
import { CreateNoteDto, DeleteNoteQueryDto, ListNotesQueryDto, ListRevisionsQueryDto, TickTaskDto, UpdateNoteDto } from './dto/notes.dto';
import { NoteViews } from './note-views';

const NOT_YOURS = 'No such note (or not yours)';
const MERGE_DOC =
  'With `baseVersion` older than the stored version: 200 with `merged: true` when the edits merge cleanly, 409 MERGE_CONFLICT ' +
  '(`current`, `base`, `conflicts`) when they overlap, 409 NOTE_VERSION_CONFLICT (`current`) when that version is no longer kept. ' +
  'With `version`: 409 NOTE_VERSION_CONFLICT when it is stale. Both: 400.';

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
    private readonly views: NoteViews,
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
      return { items: await this.views.many(page.items ?? [], ctx), nextCursor: page.nextCursor ?? null };
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
    return this.views.one(await this.grpc.call(this.notes, 'createNote', request, ctx), ctx);
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
    return this.views.one(await this.grpc.call(this.notes, 'getNote', { userId: user.userId, id }, ctx), ctx);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change some fields of a note', description: MERGE_DOC })
  @ApiConflictResponse({ description: 'NOTE_VERSION_CONFLICT or MERGE_CONFLICT' })
  update(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: UpdateNoteDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<UpdatedNote> {
    return this.applyUpdate(id, body, user, ctx);
  }

  /** Same as PATCH: only the fields sent change. */
  @Put(':id')
  @ApiOperation({ summary: 'Same as PATCH', description: MERGE_DOC })
  @ApiConflictResponse({ description: 'NOTE_VERSION_CONFLICT or MERGE_CONFLICT' })
  replace(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: UpdateNoteDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<UpdatedNote> {
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
    return this.views.one(await this.grpc.call(this.notes, 'restoreNote', { userId: user.userId, id, clientId: ctx.clientId }, ctx), ctx);
  }

  /** Ticks (or unticks) a checklist item found by its text, nearest `index` when repeated; no version needed. */
  @Post(':id/tasks')
  @Idempotent({ resourcePath: '/api/notes' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Tick or untick a task item of the note' })
  @ApiOkResponse({ description: 'The note (unchanged when the item already had that state)' })
  @ApiConflictResponse({ description: 'TASK_NOT_FOUND: no task item with that text is left' })
  @ApiNotFoundResponse({ description: NOT_YOURS })
  async tick(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: TickTaskDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Note> {
    const request = { userId: user.userId, id, index: body.index, text: body.text, checked: body.checked, clientId: ctx.clientId };
    return this.views.one(await this.grpc.call(this.notes, 'tickTask', request, ctx), ctx);
  }

  /** The note's revisions, newest first (`nextCursor` pages on). */
  @Get(':id/revisions')
  @ApiOperation({ summary: "The note's revisions, newest first" })
  @ApiNotFoundResponse({ description: NOT_YOURS })
  @ApiBadRequestResponse({ description: "A cursor that is not this list's" })
  async revisions(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: ListRevisionsQueryDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Page<NoteRevisionSummary>> {
    const page = await this.grpc.call(this.notes, 'listRevisions', { userId: user.userId, id, cursor: query.cursor ?? '', limit: 0 }, ctx);
    return { items: (page.items ?? []).map(toRestRevisionSummary), nextCursor: page.nextCursor ?? null };
  }

  @Get(':id/revisions/:version')
  @ApiOperation({ summary: 'The note as it was at a version' })
  @ApiNotFoundResponse({ description: `${NOT_YOURS}, or REVISION_NOT_FOUND: that version is no longer kept` })
  async revision(
    @Param('id', ParseIdPipe) id: string,
    @Param('version', ParseVersionPipe) version: number,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<NoteRevision> {
    return toRestRevision(await this.grpc.call(this.notes, 'getRevision', { userId: user.userId, id, version }, ctx));
  }

  /** Makes a revision's title, text and tags the note's again, as a new version. */
  @Post(':id/revisions/:version/restore')
  @Idempotent({ resourcePath: '/api/notes' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a revision (a new version)' })
  @ApiNotFoundResponse({ description: `${NOT_YOURS}, or REVISION_NOT_FOUND` })
  async restoreRevision(
    @Param('id', ParseIdPipe) id: string,
    @Param('version', ParseVersionPipe) version: number,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<Note> {
    const request = { userId: user.userId, id, version, clientId: ctx.clientId };
    return this.views.one(await this.grpc.call(this.notes, 'restoreRevision', request, ctx), ctx);
  }

  private async applyUpdate(id: string, body: UpdateNoteDto, user: AuthUser, ctx: RequestContext): Promise<UpdatedNote> {
    if (body.version !== undefined && body.baseVersion !== undefined)
      throw new DomainError(ErrorCode.ValidationFailed, 'send version or baseVersion, not both', GrpcStatus.INVALID_ARGUMENT);
    const request: notesV1.UpdateNoteRequest = {
      userId: user.userId,
      id,
      title: body.title,
      text: body.text,
      tags: body.tags ? { tags: body.tags } : undefined,
      isPinned: body.isPinned,
      isArchived: body.isArchived,
      version: body.version,
      baseVersion: body.baseVersion,
      clientId: ctx.clientId,
    };
    try {
      return await this.views.updated(await this.grpc.call(this.notes, 'updateNote', request, ctx), ctx);
    } catch (error) {
      throw await this.withConflictNotes(error, user, id, ctx);
    }
  }

  /**
   * A conflict whose notes were too large for the service's error metadata (it leaves them out,
   * see NoteVersionConflict) gets them read back here, so the 409 body has its usual shape:
   * `current` (GetNote) and, for MERGE_CONFLICT, `base` (GetRevision of baseVersion). If they
   * cannot be read (the note was deleted meanwhile), the conflict is answered as it came.
   */
  private async withConflictNotes(error: unknown, user: AuthUser, id: string, ctx: RequestContext): Promise<unknown> {
    if (!isGrpcServiceError(error)) return error;
    const body = httpErrorFromGrpc(error);
    const merge = body.code === ErrorCode.MergeConflict;
    if ((!merge && body.code !== ErrorCode.NoteVersionConflict) || body['current']) return error;
    try {
      const current = await this.grpc.call(this.notes, 'getNote', { userId: user.userId, id }, ctx);
      const baseVersion = Number(body['baseVersion']);
      const base = merge
        ? noteAtRevision(current, await this.grpc.call(this.notes, 'getRevision', { userId: user.userId, id, version: baseVersion }, ctx))
        : undefined;
      const {
        statusCode: _status,
        error: _error,
        message,
        code,
        ...details
      } = withRestDetails({ ...body, current, ...(base && { base }) });
      return new DomainError(code, String(message), GrpcStatus.ABORTED, details);
    } catch {
      return error;
    }
  }
}
