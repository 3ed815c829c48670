import type { commonV1 } from '@micronote/proto';
import { userV1 } from '@micronote/proto';
import { AcceptCallers, GrpcEndpoint } from '@micronote/server-core';
import { Controller } from '@nestjs/common';

import { NotificationsService } from '../notifications/notifications.service';
import { PushSubscriptionsService } from '../push/push-subscriptions.service';
import { UsersService } from './users.service';

/**
 * Who may call: auth-service as itself (sign-up, the credential check) or for the user whose
 * password or refresh token it checked; the gateway for the signed-in user.
 */
const AUTH = { asService: ['auth-service'] } as const;
const AUTH_FOR_USER = { asUser: ['auth-service'] } as const;
const GATEWAY_FOR_USER = { asUser: ['gateway'] } as const;
const READ_PROFILE = { asUser: ['gateway', 'auth-service'] } as const;
/** The people directory: the gateway, for the signed-in user who invites or lists members. */
const DIRECTORY = { asUser: ['gateway'] } as const;

@Controller()
@GrpcEndpoint()
@userV1.UserServiceControllerMethods()
export class UsersGrpcController implements userV1.UserServiceController {
  constructor(
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly push: PushSubscriptionsService,
  ) {}

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

  @AcceptCallers(DIRECTORY)
  findUser(request: userV1.FindUserRequest): Promise<userV1.UserSummary> {
    return this.users.findUser(request.login);
  }

  @AcceptCallers(DIRECTORY)
  getUsers(request: userV1.GetUsersRequest): Promise<userV1.GetUsersResponse> {
    return this.users.getUsers(request.ids);
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

  // --- In-app notifications (src/notifications/) ---

  @AcceptCallers(GATEWAY_FOR_USER)
  createNotifications(request: userV1.CreateNotificationsRequest): Promise<userV1.CreateNotificationsResponse> {
    return this.notifications.create(request);
  }

  @AcceptCallers(GATEWAY_FOR_USER)
  listNotifications(request: userV1.ListNotificationsRequest): Promise<userV1.ListNotificationsResponse> {
    return this.notifications.list(request);
  }

  @AcceptCallers(GATEWAY_FOR_USER)
  async markNotificationsRead(request: userV1.MarkNotificationsReadRequest): Promise<commonV1.Empty> {
    await this.notifications.markRead(request);
    return {};
  }

  // --- Web Push subscriptions (src/push/) ---

  @AcceptCallers(GATEWAY_FOR_USER)
  async savePushSubscription(request: userV1.SavePushSubscriptionRequest): Promise<commonV1.Empty> {
    await this.push.save(request);
    return {};
  }

  @AcceptCallers(GATEWAY_FOR_USER)
  async deletePushSubscription(request: userV1.DeletePushSubscriptionRequest): Promise<commonV1.Empty> {
    await this.push.delete(request);
    return {};
  }
}
