import type { AuthUser } from '@micronote/auth-session';
import type { NotificationsPage } from '@micronote/contracts';
import { NOTIFICATION_LIMITS } from '@micronote/contracts';
import { userV1 } from '@micronote/proto';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, Get, HttpCode, Inject, Post, Query, UseGuards } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx, CurrentUser } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtAuthGuard } from '../common/guards/jwt-auth.guard';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { toRestNotification } from '../common/rest/rest-shapes';
import { MarkNotificationsReadDto, NotificationsQueryDto } from './notifications.dto';

/** /api/notifications: the signed-in user's in-app notifications (made by the Notifier, live as NOTIFICATION events). */
@ApiTags('notifications')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('notifications')
export class NotificationsHttpController implements OnModuleInit {
  private users!: userV1.UserServiceClient;

  constructor(
    @Inject(userV1.MICRONOTE_USER_V1_PACKAGE_NAME) private readonly client: ClientGrpc,
    private readonly grpc: GrpcCaller,
  ) {}

  onModuleInit(): void {
    this.users = this.client.getService<userV1.UserServiceClient>(userV1.USER_SERVICE_NAME);
  }

  @Get()
  @ApiOperation({
    summary: 'My notifications, newest first',
    description: `Keyset pages of up to ${NOTIFICATION_LIMITS.pageSize.max} (default ${NOTIFICATION_LIMITS.pageSize.default}), with \`unread\`, the count of unread ones.`,
  })
  @ApiOkResponse({ description: '`{items, nextCursor, unread}`' })
  @ApiBadRequestResponse({ description: 'A cursor that is not this list’s, or a bad limit' })
  async list(@Query() query: NotificationsQueryDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<NotificationsPage> {
    const request = { userId: user.userId, limit: query.limit ?? 0, cursor: query.cursor ?? '' };
    const page = await this.grpc.call(this.users, 'listNotifications', request, ctx);
    return { items: (page.items ?? []).map(toRestNotification), nextCursor: page.nextCursor || null, unread: page.unread ?? 0 };
  }

  @Post('read')
  @Idempotent()
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark notifications read', description: '`ids`: these; none: all of mine.' })
  @ApiNoContentResponse({ description: 'marked' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  async read(@Body() body: MarkNotificationsReadDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<void> {
    await this.grpc.call(this.users, 'markNotificationsRead', { userId: user.userId, ids: body.ids ?? [] }, ctx);
  }
}
