import type { RealtimeHandshake, ServerToClientEvents, UnauthorizedNotice } from '@micronote/contracts';
import type { AuthUser, SessionsRevoked } from '@micronote/server-core';
import { AccessTokenVerifier, DomainError, EventLog, GrpcStatus, realtimeRelaySeconds, wsConnections, wsEventsRelayed } from '@micronote/server-core';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit } from '@nestjs/websockets';
import { WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';

interface SocketData {
  user: AuthUser;
  stopWatching?: () => void;
  expiry?: NodeJS.Timeout;
}

type RealtimeSocket = Socket<Record<string, never>, ServerToClientEvents, Record<string, never>, SocketData>;

/** setTimeout's ceiling (~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The realtime edge: authenticates every socket at the handshake (`connect_error: unauthorized`
 * otherwise) and has the event log follow its user: first the events it missed since
 * `lastEventId` (or `resync`), then live ones, in order, each once.
 *
 * Every gateway instance delivers only to its *own* sockets, from its own subscription to the
 * event log, so a user with tabs on two instances gets each event once per tab (no socket.io Redis
 * adapter: it would deliver relayed events once per instance). Sockets are cut with
 * `unauthorized` when their token expires or their session is revoked.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  private stopRevocations?: () => void;

  @WebSocketServer()
  server!: Server;

  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly events: EventLog,
  ) {
    // On /metrics from the start, at 0.
    wsConnections();
    wsEventsRelayed();
    realtimeRelaySeconds();
  }

  afterInit(server: Server): void {
    server.use((socket, next) => {
      const auth = (socket.handshake.auth ?? {}) as Partial<RealtimeHandshake>;
      if (typeof auth.token !== 'string' || auth.token.length > 4096) return next(new Error('unauthorized'));
      this.verifier.verify(auth.token).then(
        (user) => {
          (socket as RealtimeSocket).data = { user };
          next();
        },
        (error: unknown) => {
          const unavailable = error instanceof DomainError && error.status === GrpcStatus.UNAVAILABLE;
          next(new Error(unavailable ? 'unavailable' : 'unauthorized'));
        },
      );
    });
    this.stopRevocations = this.events.onSessionsRevoked((message) => this.revoke(message));
  }

  handleConnection(socket: RealtimeSocket): void {
    const { user } = socket.data;
    wsConnections().inc();
    const untilExpiry = Math.min(MAX_TIMER_MS, Math.max(0, user.exp * 1000 - Date.now()));
    socket.data.expiry = setTimeout(() => this.cut(socket, 'token_expired'), untilExpiry);
    const lastEventId = (socket.handshake.auth as Partial<RealtimeHandshake>).lastEventId;
    socket.data.stopWatching = this.events.watch(user.userId, typeof lastEventId === 'string' ? lastEventId : undefined, {
      onEvent: (event) => {
        socket.emit('event', event);
        wsEventsRelayed().inc({ type: event.type });
      },
      onResync: () => socket.emit('resync'),
    });
  }

  handleDisconnect(socket: RealtimeSocket): void {
    // Sockets refused at the handshake never connected (no user): only count those that did.
    if (socket.data?.user) wsConnections().dec();
    clearTimeout(socket.data?.expiry);
    socket.data?.stopWatching?.();
  }

  onApplicationShutdown(): void {
    this.stopRevocations?.();
  }

  private revoke(message: SessionsRevoked): void {
    for (const socket of this.server.sockets.sockets.values() as Iterable<RealtimeSocket>) {
      const user = socket.data?.user;
      if (user?.userId !== message.userId) continue;
      if (!message.sessionIds || message.sessionIds.includes(user.sessionId)) this.cut(socket, 'session_revoked');
    }
  }

  private cut(socket: RealtimeSocket, reason: UnauthorizedNotice['reason']): void {
    socket.emit('unauthorized', { reason });
    socket.disconnect(true);
  }
}
