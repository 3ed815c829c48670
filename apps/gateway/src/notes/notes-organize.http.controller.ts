import type { AuthUser } from '@micronote/auth-session';
import type { BulkResponse, NoteBulkAction, RenameTagResponse } from '@micronote/contracts';
import { notesV1 } from '@micronote/proto';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx, CurrentUser } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtAuthGuard } from '../common/guards/jwt-auth.guard';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { toRestBulkItem } from '../common/rest/note-organize-shapes';
import { NoteBulkDto, RenameTagDto } from './dto/note-organize.dto';

/** What a bulk item answers when it succeeds: its single call's status (DELETE /api/notes/:id is 204). */
const SUCCESS_STATUS: Record<NoteBulkAction, number> = {
  pin: 200,
  unpin: 200,
  archive: 200,
  unarchive: 200,
  restore: 200,
  addTags: 200,
  removeTags: 200,
  trash: 204,
  delete: 204,
};

/** /api/notes/tags/rename and /api/notes/bulk: changes to many notes, each through notes-service's one path per note. */
@ApiTags('notes')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('notes')
export class NotesOrganizeHttpController implements OnModuleInit {
  private notes!: notesV1.NotesServiceClient;

  constructor(
    @Inject(notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME) private readonly client: ClientGrpc,
    private readonly grpc: GrpcCaller,
  ) {}

  onModuleInit(): void {
    this.notes = this.client.getService<notesV1.NotesServiceClient>(notesV1.NOTES_SERVICE_NAME);
  }

  @Post('tags/rename')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rename a tag and its children on every note',
    description:
      '`from/…` becomes `to/…` too; a note that already has the new name keeps it once. Each note changed is a new version with its ' +
      'own NOTE_UPDATED event, then one TAGS_RENAMED. An unknown `from` changes nothing (`notes: 0`).',
  })
  @ApiOkResponse({ description: '`{notes}`: how many notes changed' })
  @ApiBadRequestResponse({ description: 'from equals to, an invalid `to` (empty level, too deep), or a renamed tag over 30 characters' })
  async renameTag(@Body() body: RenameTagDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<RenameTagResponse> {
    const request = { userId: user.userId, from: body.from, to: body.to, clientId: ctx.clientId };
    const response = await this.grpc.call(this.notes, 'renameTag', request, ctx);
    return { notes: response.notes };
  }

  @Post('bulk')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({
    summary: 'One action on up to 500 notes',
    description:
      "Each id succeeds or fails on its own, in order: `status` is what that note's single call would have answered (200, 204 for " +
      'trash and delete, 404 for missing or not yours, 400 for a note in the trash, …), `code` the error code of a failure.',
  })
  @ApiOkResponse({ description: '`{items: [{id, status, code?}]}` in the order of `ids`' })
  @ApiBadRequestResponse({ description: 'no or more than 500 ids, a repeated or malformed id, an unknown action, tags missing or stray' })
  async bulk(@Body() body: NoteBulkDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<BulkResponse> {
    const request = { userId: user.userId, ids: body.ids, action: body.action, tags: body.tags ?? [], clientId: ctx.clientId };
    const response = await this.grpc.call(this.notes, 'bulkNotes', request, ctx);
    return { items: (response.items ?? []).map((item) => toRestBulkItem(item, SUCCESS_STATUS[body.action])) };
  }
}
