import type { commonV1 } from '@micronote/proto';
import { userV1 } from '@micronote/proto';
import { GrpcEndpoint } from '@micronote/server-core';
import { Controller } from '@nestjs/common';

import { UsersService } from './users.service';

@Controller()
@GrpcEndpoint()
@userV1.UserServiceControllerMethods()
export class UsersGrpcController implements userV1.UserServiceController {
  constructor(private readonly users: UsersService) {}

  createUser(request: userV1.CreateUserRequest): Promise<userV1.User> {
    return this.users.create(request);
  }

  verifyCredentials(request: userV1.VerifyCredentialsRequest): Promise<userV1.User> {
    return this.users.verifyCredentials(request.login, request.password, request.clientIp);
  }

  getUser(request: userV1.GetUserRequest): Promise<userV1.User> {
    return this.users.get(request.userId);
  }

  updateUser(request: userV1.UpdateUserRequest): Promise<userV1.User> {
    return this.users.update(request);
  }

  async changePassword(request: userV1.ChangePasswordRequest): Promise<commonV1.Empty> {
    await this.users.changePassword(request);
    return {};
  }

  async deleteUser(request: userV1.DeleteUserRequest): Promise<commonV1.Empty> {
    await this.users.delete(request.userId, request.password, request.clientIp);
    return {};
  }
}
