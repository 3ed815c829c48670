import type { User } from '@micronote/contracts';
import { authV1, userV1 } from '@micronote/proto';
import type { AuthUser } from '@micronote/server-core';
import type { OnModuleInit } from '@nestjs/common';
import { Body, Controller, Delete, Get, HttpCode, Inject, Patch, Post, UseGuards } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { Ctx, CurrentUser } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtAuthGuard } from '../common/guards/jwt-auth.guard';
import { ChangePasswordDto, DeleteAccountDto, UpdateProfileDto } from './dto/users.dto';

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
  ) {}

  onModuleInit(): void {
    this.auth = this.authClient.getService<authV1.AuthServiceClient>(authV1.AUTH_SERVICE_NAME);
    this.users = this.userClient.getService<userV1.UserServiceClient>(userV1.USER_SERVICE_NAME);
  }

  @Get()
  me(@CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<User> {
    return this.grpc.call(this.users, 'getUser', { userId: user.userId }, ctx);
  }

  @Patch()
  update(@Body() body: UpdateProfileDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<User> {
    return this.grpc.call(this.users, 'updateUser', { userId: user.userId, ...body }, ctx);
  }

  /** Changes the password; every other session of the user is logged out. */
  @Post('password')
  @HttpCode(204)
  async changePassword(@Body() body: ChangePasswordDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<void> {
    await this.grpc.call(this.auth, 'changePassword', { userId: user.userId, currentSessionId: user.sessionId, ...body }, ctx);
  }

  /** Deletes the account (password required) and ends all its sessions. */
  @Delete()
  @HttpCode(204)
  async remove(@Body() body: DeleteAccountDto, @CurrentUser() user: AuthUser, @Ctx() ctx: RequestContext): Promise<void> {
    await this.grpc.call(this.auth, 'deleteAccount', { userId: user.userId, password: body.password }, ctx);
  }
}
