import type { PublicNote } from '@micronote/contracts';
import { notesV1 } from '@micronote/proto';
import { DomainError, GrpcStatus } from '@micronote/server-core';
import type { OnModuleInit } from '@nestjs/common';
import { Controller, Get, Inject, Param } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { toRestPublicNote } from '../common/rest/note-organize-shapes';

/** A token as notes-service makes them (base64url); anything else is not a link, answered without a call. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

const linkGone = () => new DomainError('SHARE_NOT_FOUND', 'This link does not exist, was revoked or has expired', GrpcStatus.NOT_FOUND);

/**
 * GET /api/public/notes/:token, for anyone holding a share link (no account, no token): the note
 * as it is now. Never cached and never indexed (also on a 404: see registerSecurityHeaders), and limited per client IP
 * (PUBLIC_NOTE_RATE_LIMIT per minute, see rate-limits.ts).
 */
@ApiTags('public')
@Controller('public/notes')
export class PublicNotesHttpController implements OnModuleInit {
  private notes!: notesV1.NotesServiceClient;

  constructor(
    @Inject(notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME) private readonly client: ClientGrpc,
    private readonly grpc: GrpcCaller,
  ) {}

  onModuleInit(): void {
    this.notes = this.client.getService<notesV1.NotesServiceClient>(notesV1.NOTES_SERVICE_NAME);
  }

  @Get(':token')
  @ApiOperation({ summary: 'A shared note, read-only, without signing in' })
  @ApiOkResponse({ description: '`{title, text, updatedAt}`: always the current text' })
  @ApiNotFoundResponse({ description: 'SHARE_NOT_FOUND: never made, revoked, expired, or the note is in the trash or deleted' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: too many reads from this address' })
  async read(@Param('token') token: string, @Ctx() ctx: RequestContext): Promise<PublicNote> {
    // Cache-Control: no-store and X-Robots-Tag come from registerSecurityHeaders (every /api/public answer).
    if (!TOKEN_SHAPE.test(token)) throw linkGone();
    // The gateway calls as itself: the reader has no account (ctx.userId is unset on this route).
    return toRestPublicNote(await this.grpc.call(this.notes, 'getSharedNote', { token }, { requestId: ctx.requestId }));
  }
}
