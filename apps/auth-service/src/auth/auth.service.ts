import type { SessionRecord } from '@micronote/auth-session';
import { SessionStore } from '@micronote/auth-session';
import { EventLog } from '@micronote/events';
import type { authV1 } from '@micronote/proto';
import { userV1 } from '@micronote/proto';
import type { CallContext } from '@micronote/server-core';
import { callUnary, GrpcStatus, ServiceIdentity } from '@micronote/server-core';
import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ClientGrpc } from '@nestjs/microservices';

import type { Env } from '../config/env.validation';
import { AuthErrors } from './auth.errors';
import { TokenIssuer } from './token-issuer';

function clientOf(client: authV1.ClientInfo | undefined) {
  return { userAgent: client?.userAgent ?? '', ip: client?.ip ?? '' };
}

/** Register, login, refresh with rotation and reuse detection, logout, sessions, credential changes. */
@Injectable()
export class AuthService implements OnModuleInit {
  private users!: userV1.UserServiceClient;

  constructor(
    @Inject(userV1.MICRONOTE_USER_V1_PACKAGE_NAME) private readonly userClient: ClientGrpc,
    private readonly sessions: SessionStore,
    private readonly tokens: TokenIssuer,
    private readonly config: ConfigService<Env, true>,
    private readonly events: EventLog,
    private readonly identity: ServiceIdentity,
  ) {}

  onModuleInit(): void {
    this.users = this.userClient.getService<userV1.UserServiceClient>(userV1.USER_SERVICE_NAME);
  }

  /** A call to user-service: as auth-service itself, or for `userId` (whose token or password this service checks). */
  private call(requestId?: string, userId?: string): CallContext {
    return {
      requestId,
      deadlineMs: this.config.get('GRPC_DEADLINE_MS', { infer: true }),
      target: 'user-service',
      identity: this.identity.mint('user-service', userId),
    };
  }

  async register(request: authV1.RegisterRequest, requestId?: string): Promise<authV1.AuthResult> {
    const user = await callUnary(
      this.users,
      'createUser',
      { name: request.name, email: request.email, username: request.username, password: request.password },
      this.call(requestId),
    );
    return this.startSession(user, request.client);
  }

  async login(request: authV1.LoginRequest, requestId?: string): Promise<authV1.AuthResult> {
    const user = await callUnary(
      this.users,
      'verifyCredentials',
      { login: request.login, password: request.password, clientIp: request.client?.ip ?? '' },
      this.call(requestId),
    );
    return this.startSession(user, request.client);
  }

  /**
   * Rotates the refresh token. The user is looked up *before* the rotation: if user-service is
   * down the call fails (503) with nothing rotated, so the same refresh token still works once it
   * is back (rotating first would hand out a new token the client never receives, and its retry
   * with the old one would then be taken for reuse and revoke the session). A reused token
   * revokes its session, and its open sockets are cut at once.
   */
  async refresh(request: authV1.RefreshRequest, requestId?: string): Promise<authV1.AuthResult> {
    const claims = await this.tokens.readRefreshToken(request.refreshToken);
    let user: userV1.User;
    try {
      user = await callUnary(this.users, 'getUser', { userId: claims.sub }, this.call(requestId, claims.sub));
    } catch (error) {
      if ((error as { code?: number }).code === GrpcStatus.NOT_FOUND /* the account is gone */) {
        await this.sessions.revokeAll(claims.sub);
        await this.events.publishSessionsRevoked({ userId: claims.sub });
        throw AuthErrors.tokenInvalid('Session has ended');
      }
      throw error;
    }
    const { result, newJti } = await this.sessions.rotate(claims.sub, claims.sid, claims.jti);
    if (result === 'reused') {
      await this.events.publishSessionsRevoked({ userId: claims.sub, sessionIds: [claims.sid] });
      throw AuthErrors.refreshReused();
    }
    if (result === 'missing') throw AuthErrors.tokenInvalid('Session has ended');
    return { user, sessionId: claims.sid, ...(await this.tokens.issue(claims.sub, claims.sid, newJti)) };
  }

  /** Ends the caller's session; a refresh token of another of the user's sessions ends that one too. */
  async logout(request: authV1.LogoutRequest): Promise<void> {
    const ended = [request.sessionId];
    await this.sessions.revoke(request.userId, request.sessionId);
    if (request.refreshToken) {
      const claims = await this.tokens.readRefreshToken(request.refreshToken).catch(() => null);
      if (claims && claims.sub === request.userId && claims.sid !== request.sessionId) {
        if (await this.sessions.revoke(request.userId, claims.sid)) ended.push(claims.sid);
      }
    }
    await this.events.publishSessionsRevoked({ userId: request.userId, sessionIds: ended });
  }

  async listSessions(userId: string, currentSessionId: string): Promise<authV1.ListSessionsResponse> {
    const sessions = await this.sessions.list(userId);
    return {
      items: sessions.map((s) => ({
        id: s.id,
        createdAt: s.createdAt,
        lastUsedAt: s.lastUsedAt,
        userAgent: s.userAgent,
        current: s.id === currentSessionId,
      })),
    };
  }

  async revokeSession(userId: string, sessionId: string): Promise<void> {
    if (!(await this.sessions.revoke(userId, sessionId))) throw AuthErrors.sessionNotFound();
    await this.events.publishSessionsRevoked({ userId, sessionIds: [sessionId] });
  }

  /** Changes the password in user-service, then logs out every other session of the user. */
  async changePassword(request: authV1.ChangePasswordRequest, requestId?: string): Promise<void> {
    await callUnary(
      this.users,
      'changePassword',
      {
        userId: request.userId,
        currentPassword: request.currentPassword,
        newPassword: request.newPassword,
        clientIp: request.client?.ip ?? '',
      },
      this.call(requestId, request.userId),
    );
    const ended = await this.sessions.revokeAll(request.userId, request.currentSessionId);
    if (ended.length > 0) await this.events.publishSessionsRevoked({ userId: request.userId, sessionIds: ended });
  }

  /** Deletes the account in user-service (which checks the password), then ends all its sessions. */
  async deleteAccount(request: authV1.DeleteAccountRequest, requestId?: string): Promise<void> {
    await callUnary(
      this.users,
      'deleteUser',
      { userId: request.userId, password: request.password, clientIp: request.client?.ip ?? '' },
      this.call(requestId, request.userId),
    );
    await this.sessions.revokeAll(request.userId);
    await this.events.publishSessionsRevoked({ userId: request.userId });
  }

  private async startSession(user: userV1.User, client: authV1.ClientInfo | undefined): Promise<authV1.AuthResult> {
    const session: SessionRecord = await this.sessions.create(user.id, clientOf(client));
    return { user, sessionId: session.id, ...(await this.tokens.issue(user.id, session.id, session.refreshJti)) };
  }
}
