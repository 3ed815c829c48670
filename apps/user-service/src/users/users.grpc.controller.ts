import type { commonV1 } from '@micronote/proto';
import { userV1 } from '@micronote/proto';
import { AcceptCallers, GrpcEndpoint } from '@micronote/server-core';
import { Controller } from '@nestjs/common';

import { UsersService } from './users.service';

/**
 * Who may call: auth-service as itself (sign-up, the credential check) or for the user whose
 * password or refresh token it checked; the gateway for the signed-in user.
 */
const AUTH = { asService: ['auth-service'] } as const;
const AUTH_FOR_USER = { asUser: ['auth-service'] } as const;
const GATEWAY_FOR_USER = { asUser: ['gateway'] } as const;
const READ_PROFILE = { asUser: ['gateway', 'auth-service'] } as const;

@Controller()
@GrpcEndpoint()
@userV1.UserServiceControllerMethods()
export class UsersGrpcController implements userV1.UserServiceController {
  constructor(private readonly users: UsersService) {}

  @AcceptCallers(AUTH)
  createUser(request: userV1.CreateUserRequest): Promise<userV1.User> {
    return this.users.create(request);
  }

  @AcceptCallers(AUTH)
  verifyCredentials(request: userV1.VerifyCredentialsRequest): Promise<userV1.User> {
    return this.users.verifyCredentials(request.login, request.password, request.clientIp);
  }

  @AcceptCallers(READ_PROFILE)
  getUser(request: userV1.GetUserRequest): Promise<userV1.User> {
    return this.users.get(request.userId);
  }

  @AcceptCallers(GATEWAY_FOR_USER)
  updateUser(request: userV1.UpdateUserRequest): Promise<userV1.User> {
    return this.users.update(request);
  }

  @AcceptCallers(AUTH_FOR_USER)
  async changePassword(request: userV1.ChangePasswordRequest): Promise<commonV1.Empty> {
    await this.users.changePassword(request);
    return {};
  }

  @AcceptCallers(AUTH_FOR_USER)
  async deleteUser(request: userV1.DeleteUserRequest): Promise<commonV1.Empty> {
    await this.users.delete(request.userId, request.password, request.clientIp);
    return {};
  }
}
