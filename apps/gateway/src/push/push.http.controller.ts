import type { AuthUser } from '@micronote/auth-session';
import type { PushKeyResponse } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';
import { todosV1, userV1 } from '@micronote/proto';
import { pushEndpointProblem, verifyActionToken } from '@micronote/push';
import { DomainError, GrpcStatus, ServiceIdentity } from '@micronote/server-core';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, Delete, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ClientGrpc } from '@nestjs/microservices';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx, CurrentUser } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtAuthGuard } from '../common/guards/jwt-auth.guard';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import type { Env } from '../config/env.validation';
import { DeletePushSubscriptionDto, PushActionDto, PushSubscriptionDto } from './push.dto';

const notConfigured = () => new DomainError('PUSH_NOT_CONFIGURED', 'Web Push is not set up on this server', GrpcStatus.UNAVAILABLE);
const endpointRefused = (message: string) => new DomainError('PUSH_ENDPOINT_REFUSED', message, GrpcStatus.INVALID_ARGUMENT);
const tokenInvalid = () =>
  new DomainError('PUSH_ACTION_TOKEN_INVALID', 'The action token is invalid or has expired', GrpcStatus.UNAUTHENTICATED);

/**
 * /api/push: Web Push for reminders. The signed-in user's browsers subscribe (`subscriptions`,
 * kept by user-service, which sends the pushes); the service worker acts on a reminder's buttons
 * (`actions`) with the push's action token instead of a session.
 */
@ApiTags('push')
@Controller('push')
export class PushHttpController implements OnModuleInit {
  private users!: userV1.UserServiceClient;
  private todos!: todosV1.TodosServiceClient;
  private readonly publicKey?: string;
  private readonly allowPrivate: boolean;

  constructor(
    @Inject(userV1.MICRONOTE_USER_V1_PACKAGE_NAME) private readonly userClient: ClientGrpc,
    @Inject(todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME) private readonly todosClient: ClientGrpc,
    private readonly grpc: GrpcCaller,
    private readonly identity: ServiceIdentity,
    config: ConfigService<Env, true>,
  ) {
    this.publicKey = config.get('VAPID_PUBLIC_KEY', { infer: true });
    this.allowPrivate = config.get('PUSH_ALLOW_PRIVATE_ENDPOINTS', { infer: true }) === 'true';
  }

  onModuleInit(): void {
    this.users = this.userClient.getService<userV1.UserServiceClient>(userV1.USER_SERVICE_NAME);
    this.todos = this.todosClient.getService<todosV1.TodosServiceClient>(todosV1.TODOS_SERVICE_NAME);
  }

  @Get('key')
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  @ApiOperation({ summary: 'The VAPID public key', description: "For `PushManager.subscribe`'s `applicationServerKey` (base64url)." })
  @ApiOkResponse({ description: '`{publicKey}`' })
  @ApiServiceUnavailableResponse({ description: 'PUSH_NOT_CONFIGURED: this server has no VAPID keys' })
  key(): PushKeyResponse {
    if (!this.publicKey) throw notConfigured();
    return { publicKey: this.publicKey };
  }

  @Post('subscriptions')
  @Idempotent()
  @HttpCode(201)
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  @ApiOperation({
    summary: 'Subscribe this browser to reminder pushes',
    description:
      'The body is `PushSubscription.toJSON()`. The endpoint must be an https URL of a public host (no loopback, private or link-local address): the server POSTs to it. At most 20 per user; the oldest is dropped.',
  })
  @ApiCreatedResponse({ description: 'subscribed (again: the keys are replaced)' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, or PUSH_ENDPOINT_REFUSED for an endpoint the server will not POST to' })
  async subscribe(@Body() body: PushSubscriptionDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<void> {
    const problem = pushEndpointProblem(body.endpoint, this.allowPrivate);
    if (problem) throw endpointRefused(problem);
    const request = { userId: user.userId, endpoint: body.endpoint, p256dh: body.keys.p256dh, auth: body.keys.auth };
    await this.grpc.call(this.users, 'savePushSubscription', request, ctx);
  }

  @Delete('subscriptions')
  @HttpCode(204)
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  @ApiOperation({ summary: 'Unsubscribe a browser', description: 'Nothing to do when it was not subscribed.' })
  @ApiNoContentResponse({ description: 'unsubscribed' })
  async unsubscribe(@Body() body: DeletePushSubscriptionDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<void> {
    await this.grpc.call(this.users, 'deletePushSubscription', { userId: user.userId, endpoint: body.endpoint }, ctx);
  }

  /**
   * No session: the token (signed by user-service for one user, todo and reminder, 24 h) is the
   * proof. Limited like the rest of /api (per client IP without an access token). `@Idempotent`
   * for the route rule; without a signed-in user the interceptor lets it through (both actions
   * are safe to repeat: done is done, a snooze moves the reminder to 10 minutes from now).
   */
  @Post('actions')
  @Idempotent()
  @HttpCode(204)
  @ApiOperation({ summary: "A reminder notification's button (done, snooze), from the service worker" })
  @ApiNoContentResponse({ description: 'done' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED; a snooze of a completed todo' })
  @ApiUnauthorizedResponse({ description: 'PUSH_ACTION_TOKEN_INVALID: forged, expired or malformed' })
  async act(@Body() body: PushActionDto, @Ctx() ctx: RequestContext): Promise<void> {
    const claims = verifyActionToken(this.identity, body.token);
    if (!claims) throw tokenInvalid();
    const asUser = { requestId: ctx.requestId, userId: claims.sub };
    if (body.action === 'done') {
      await this.grpc.call(
        this.todos,
        'updateTodo',
        { userId: claims.sub, id: claims.todoId, completed: true, clientId: '', timeZone: '' },
        asUser,
      );
    } else {
      const minutes = TODO_LIMITS.reminder.snoozeMinutes.default;
      await this.grpc.call(this.todos, 'snoozeTodo', { userId: claims.sub, id: claims.todoId, minutes, clientId: '' }, asUser);
    }
  }
}
