import type { Metadata } from '@grpc/grpc-js';
import type { commonV1 } from '@micronote/proto';
import { authV1 } from '@micronote/proto';
import { AcceptCallers, GrpcEndpoint, metadataRequestId } from '@micronote/server-core';
import { Controller } from '@nestjs/common';

import { AuthService } from './auth.service';

/** Who may call: the gateway, for no one yet (sign-up, sign-in, refresh) or for the signed-in user. */
const GATEWAY = { asService: ['gateway'] } as const;
const FOR_USER = { asUser: ['gateway'] } as const;

@Controller()
@GrpcEndpoint()
@authV1.AuthServiceControllerMethods()
export class AuthGrpcController implements authV1.AuthServiceController {
  constructor(private readonly auth: AuthService) {}

  @AcceptCallers(GATEWAY)
  register(request: authV1.RegisterRequest, metadata?: Metadata): Promise<authV1.AuthResult> {
    return this.auth.register(request, metadataRequestId(metadata));
  }

  @AcceptCallers(GATEWAY)
  login(request: authV1.LoginRequest, metadata?: Metadata): Promise<authV1.AuthResult> {
    return this.auth.login(request, metadataRequestId(metadata));
  }

  @AcceptCallers(GATEWAY)
  refresh(request: authV1.RefreshRequest, metadata?: Metadata): Promise<authV1.AuthResult> {
    return this.auth.refresh(request, metadataRequestId(metadata));
  }

  @AcceptCallers(FOR_USER)
  async logout(request: authV1.LogoutRequest): Promise<commonV1.Empty> {
    await this.auth.logout(request);
    return {};
  }

  @AcceptCallers(FOR_USER)
  listSessions(request: authV1.ListSessionsRequest): Promise<authV1.ListSessionsResponse> {
    return this.auth.listSessions(request.userId, request.currentSessionId);
  }

  @AcceptCallers(FOR_USER)
  async revokeSession(request: authV1.RevokeSessionRequest): Promise<commonV1.Empty> {
    await this.auth.revokeSession(request.userId, request.sessionId);
    return {};
  }

  @AcceptCallers(FOR_USER)
  async changePassword(request: authV1.ChangePasswordRequest, metadata?: Metadata): Promise<commonV1.Empty> {
    await this.auth.changePassword(request, metadataRequestId(metadata));
    return {};
  }

  @AcceptCallers(FOR_USER)
  async deleteAccount(request: authV1.DeleteAccountRequest, metadata?: Metadata): Promise<commonV1.Empty> {
    await this.auth.deleteAccount(request, metadataRequestId(metadata));
    return {};
  }
}
