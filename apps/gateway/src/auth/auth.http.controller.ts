import type { AuthUser } from '@micronote/auth-session';
import type { AuthResponse, CookieAuthResponse, ItemsResponse, SessionInfo, User } from '@micronote/contracts';
import { authV1, userV1 } from '@micronote/proto';
import { DomainError, GrpcStatus } from '@micronote/server-core';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx, CurrentUser } from '../common/decorators/request-context.decorator';
import { toErrorBody } from '../common/filters/api-exception.filter';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtAuthGuard } from '../common/guards/jwt-auth.guard';
import { SameOriginGuard } from '../common/guards/same-origin.guard';
import { toRestUser } from '../common/rest/rest-shapes';
import { LoginDto, LogoutDto, RefreshDto, RegisterDto } from './dto/auth.dto';
import { clearRefreshCookie, REFRESH_COOKIE, refreshCookieOf, setRefreshCookie } from './refresh-cookie';

/** The pair as the body carries it; the refresh token also goes into the HttpOnly cookie. */
function answerWithCookie(reply: FastifyReply, result: authV1.AuthResult): AuthResponse {
  setRefreshCookie(reply, result.refreshToken);
  return {
    user: toRestUser(result.user as userV1.User),
    accessToken: result.accessToken,
    refreshToken: result.refreshToken,
    expiresIn: result.expiresIn,
  };
}

const CROSS_ORIGIN = 'A browser request from an origin other than this site or CORS_ORIGINS: 403 ORIGIN_NOT_ALLOWED';

@ApiTags('auth')
@Controller('auth')
export class AuthHttpController implements OnModuleInit {
  private auth!: authV1.AuthServiceClient;
  private users!: userV1.UserServiceClient;

  constructor(
    @Inject(authV1.MICRONOTE_AUTH_V1_PACKAGE_NAME) private readonly authClient: ClientGrpc,
    @Inject(userV1.MICRONOTE_USER_V1_PACKAGE_NAME) private readonly userClient: ClientGrpc,
    private readonly grpc: GrpcCaller,
  ) {}

  onModuleInit(): void {
    this.auth = this.authClient.getService<authV1.AuthServiceClient>(authV1.AUTH_SERVICE_NAME);
    this.users = this.userClient.getService<userV1.UserServiceClient>(userV1.USER_SERVICE_NAME);
  }

  /** Also sets the refresh token as the cookie `micronote_refresh` (HttpOnly, Secure, SameSite=Strict, Path=/api/auth). */
  @Post('register')
  async register(
    @Body() body: RegisterDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthResponse> {
    const client = { userAgent: ctx.userAgent, ip: ctx.ip };
    return answerWithCookie(reply, await this.grpc.call(this.auth, 'register', { ...body, client }, ctx));
  }

  /** Also sets the refresh token as the cookie `micronote_refresh` (HttpOnly, Secure, SameSite=Strict, Path=/api/auth). */
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<AuthResponse> {
    const client = { userAgent: ctx.userAgent, ip: ctx.ip };
    return answerWithCookie(reply, await this.grpc.call(this.auth, 'login', { ...body, client }, ctx));
  }

  /**
   * Spends the refresh token of the body or, without one, of the cookie, and answers a new pair
   * (the new refresh token in the cookie, and in the body only to a client that sent one there).
   * A refused cookie is cleared.
   */
  @Post('refresh')
  @HttpCode(200)
  @UseGuards(SameOriginGuard)
  @ApiCookieAuth('refresh-cookie')
  @ApiForbiddenResponse({ description: CROSS_ORIGIN })
  async refresh(
    @Body() body: RefreshDto,
    @Req() request: FastifyRequest,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthResponse | CookieAuthResponse> {
    const fromBody = body.refreshToken;
    const refreshToken = fromBody ?? refreshCookieOf(request);
    if (!refreshToken) {
      throw new DomainError(
        'REFRESH_TOKEN_MISSING',
        `refreshToken is required, in the body or the ${REFRESH_COOKIE} cookie`,
        GrpcStatus.INVALID_ARGUMENT,
      );
    }
    const client = { userAgent: ctx.userAgent, ip: ctx.ip };
    let result: authV1.AuthResult;
    try {
      result = await this.grpc.call(this.auth, 'refresh', { refreshToken, client }, ctx);
    } catch (error) {
      // Spent, revoked or expired: the browser forgets it. (Not when auth-service is down: it may still be good.)
      if (!fromBody && toErrorBody(error).statusCode === 401) clearRefreshCookie(reply);
      throw error;
    }
    const { refreshToken: rotated, ...rest } = answerWithCookie(reply, result);
    return fromBody ? { ...rest, refreshToken: rotated } : rest;
  }

  /** Ends this session; the refresh cookie is cleared whatever auth-service answers. */
  @Post('logout')
  @HttpCode(204)
  @UseGuards(SameOriginGuard, JwtAuthGuard)
  @ApiBearerAuth()
  @ApiCookieAuth('refresh-cookie')
  @ApiForbiddenResponse({ description: CROSS_ORIGIN })
  async logout(
    @Body() body: LogoutDto,
    @CurrentUser() user: AuthUser,
    @Req() request: FastifyRequest,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const refreshToken = body.refreshToken ?? refreshCookieOf(request);
    clearRefreshCookie(reply);
    await this.grpc.call(this.auth, 'logout', { userId: user.userId, sessionId: user.sessionId, accessJti: user.jti, refreshToken }, ctx);
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  async me(@CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<User> {
    return toRestUser(await this.grpc.call(this.users, 'getUser', { userId: user.userId }, ctx));
  }

  @Get('sessions')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  async sessions(@CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<ItemsResponse<SessionInfo>> {
    return this.grpc.call(this.auth, 'listSessions', { userId: user.userId, currentSessionId: user.sessionId }, ctx);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  async revokeSession(
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: RequestContext,
  ): Promise<void> {
    await this.grpc.call(this.auth, 'revokeSession', { userId: user.userId, sessionId: id }, ctx);
  }
}
