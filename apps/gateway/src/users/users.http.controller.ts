import type { Readable } from 'node:stream';

import type { AuthUser } from '@micronote/auth-session';
import type { ImportFromAppResponse, User } from '@micronote/contracts';
import { IMPORT_SOURCES } from '@micronote/contracts';
import { authV1, userV1 } from '@micronote/proto';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, Delete, Get, HttpCode, Inject, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx, CurrentUser } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtAuthGuard } from '../common/guards/jwt-auth.guard';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { toRestUser } from '../common/rest/rest-shapes';
import { AccountDataService } from './account-data.service';
import { ExportQueryDto, ImportBodyPipe, ImportDocumentDto, ImportQueryDto } from './dto/import.dto';
import { ChangePasswordDto, DeleteAccountDto, UpdateProfileDto } from './dto/users.dto';
import { AppImportService } from './imports/app-import.service';
import { clientError } from './imports/import-body';

/** A patch field of the proto: absent stays absent, `null` is set without a value. */
function nullable(value: string | null | undefined): userV1.NullableString | undefined {
  return value === undefined ? undefined : value === null ? {} : { value };
}

@ApiTags('users')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('users/me')
export class UsersHttpController implements OnModuleInit {
  private auth!: authV1.AuthServiceClient;
  private users!: userV1.UserServiceClient;

  constructor(
    @Inject(authV1.MICRONOTE_AUTH_V1_PACKAGE_NAME) private readonly authClient: ClientGrpc,
    @Inject(userV1.MICRONOTE_USER_V1_PACKAGE_NAME) private readonly userClient: ClientGrpc,
    private readonly grpc: GrpcCaller,
    private readonly accountData: AccountDataService,
    private readonly appImport: AppImportService,
  ) {}

  onModuleInit(): void {
    this.auth = this.authClient.getService<authV1.AuthServiceClient>(authV1.AUTH_SERVICE_NAME);
    this.users = this.userClient.getService<userV1.UserServiceClient>(userV1.USER_SERVICE_NAME);
  }

  @Get()
  async me(@CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<User> {
    return toRestUser(await this.grpc.call(this.users, 'getUser', { userId: user.userId }, ctx));
  }

  @Patch()
  async update(@Body() body: UpdateProfileDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<User> {
    const { timeZone, locale, ...fields } = body;
    const request: userV1.UpdateUserRequest = {
      userId: user.userId,
      ...fields,
      // Absent: unchanged; null: cleared (a NullableString without a value).
      timeZone: nullable(timeZone),
      locale: nullable(locale),
      clientIp: ctx.ip,
    };
    return toRestUser(await this.grpc.call(this.users, 'updateUser', request, ctx));
  }

  /** Changes the password; every other session of the user is logged out. */
  @Post('password')
  @Idempotent()
  @HttpCode(204)
  async changePassword(@Body() body: ChangePasswordDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<void> {
    const client = { userAgent: ctx.userAgent, ip: ctx.ip };
    await this.grpc.call(this.auth, 'changePassword', { userId: user.userId, currentSessionId: user.sessionId, ...body, client }, ctx);
  }

  /** Deletes the account (password required) and ends all its sessions. */
  @Delete()
  @HttpCode(204)
  async remove(@Body() body: DeleteAccountDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<void> {
    const client = { userAgent: ctx.userAgent, ip: ctx.ip };
    await this.grpc.call(this.auth, 'deleteAccount', { userId: user.userId, password: body.password, client }, ctx);
  }

  /** Counts of notes and todos, fetched from both services in parallel. */
  @Get('stats')
  stats(@CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext) {
    return this.accountData.stats(user.userId, ctx);
  }

  /**
   * The profile, notes and todos as one JSON document, or (`format=markdown`) a zip of Markdown
   * files, streamed from the services to the client with backpressure (never the whole account in
   * the gateway's memory).
   */
  @Get('export')
  async export(
    @Query() query: ExportQueryDto,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    const day = new Date().toISOString().slice(0, 10);
    if (query.format === 'markdown') {
      void reply.header('content-type', 'application/zip').header('content-disposition', `attachment; filename="micronote-${day}.zip"`);
      return this.accountData.exportMarkdownZip(user.userId, ctx);
    }
    void reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="micronote-${day}.json"`);
    return this.accountData.exportJson(user.userId, ctx);
  }

  /**
   * Imports an exported document (JSON), or with `from=keep|enex|markdown|todoist` another app's
   * file sent as the raw body (up to 50 MiB); importing the same document or file again creates
   * nothing new. `todoist` takes a project's CSV export (or a zip of them) and creates todos.
   */
  @Post('import')
  @Idempotent()
  @HttpCode(200)
  @ApiConsumes('application/json', 'application/zip', 'application/xml', 'application/enex+xml', 'text/csv', 'application/octet-stream')
  @ApiBody({ type: ImportDocumentDto, description: 'An exported document (JSON), or with from= the file itself' })
  import(
    @Query() query: ImportQueryDto,
    @Body(ImportBodyPipe) body: ImportDocumentDto | Buffer,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<{ notes: number; todos: number } | ImportFromAppResponse> {
    if (Buffer.isBuffer(body)) {
      if (!query.from) throw clientError(415, `A file body needs from=${IMPORT_SOURCES.join('|')}`);
      return this.appImport.import(user.userId, query.from, body, ctx);
    }
    if (query.from)
      throw clientError(
        415,
        `from=${query.from} takes the file itself as the body (application/zip, application/xml, text/csv or application/octet-stream), not JSON`,
      );
    return this.accountData.import(user.userId, body, ctx);
  }
}
