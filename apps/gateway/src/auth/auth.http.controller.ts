import type { AuthResponse, ItemsResponse, SessionInfo, User } from '@micronote/contracts';
import { authV1, userV1 } from '@micronote/proto';
import type { AuthUser } from '@micronote/server-core';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx, CurrentUser } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtAuthGuard } from '../common/guards/jwt-auth.guard';
import { LoginDto, LogoutDto, RefreshDto, RegisterDto } from './dto/auth.dto';

function toAuthResponse(result: authV1.AuthResult): AuthResponse {
  return { user: result.user as User, accessToken: result.accessToken, refreshToken: result.refreshToken, expiresIn: result.expiresIn };
}

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

  @Post('register')
  async register(@Body() body: RegisterDto, @Ctx() ctx: RequestContext): Promise<AuthResponse> {
    const client = { userAgent: ctx.userAgent, ip: ctx.ip };
    return toAuthResponse(await this.grpc.call(this.auth, 'register', { ...body, client }, ctx));
  }

  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Ctx() ctx: RequestContext): Promise<AuthResponse> {
    const client = { userAgent: ctx.userAgent, ip: ctx.ip };
    return toAuthResponse(await this.grpc.call(this.auth, 'login', { ...body, client }, ctx));
  }

  @Post('refresh')
  @HttpCode(200)
  async refresh(@Body() body: RefreshDto, @Ctx() ctx: RequestContext): Promise<AuthResponse> {
    const client = { userAgent: ctx.userAgent, ip: ctx.ip };
    return toAuthResponse(await this.grpc.call(this.auth, 'refresh', { refreshToken: body.refreshToken, client }, ctx));
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  async logout(@Body() body: LogoutDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<void> {
    await this.grpc.call(
      this.auth,
      'logout',
      { userId: user.userId, sessionId: user.sessionId, accessJti: user.jti, refreshToken: body.refreshToken },
      ctx,
    );
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  async me(@CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<User> {
    return this.grpc.call(this.users, 'getUser', { userId: user.userId }, ctx);
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
