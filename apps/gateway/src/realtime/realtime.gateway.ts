import type { AuthUser } from '@micronote/auth-session';
import { AccessTokenVerifier } from '@micronote/auth-session';
import type { CollabClientToServerEvents, RealtimeHandshake, ServerToClientEvents, UnauthorizedNotice } from '@micronote/contracts';
import { HandshakeRefusal } from '@micronote/contracts';
import type { SessionsRevoked } from '@micronote/events';
import { EventLog } from '@micronote/events';
import { DomainError, GrpcStatus, realtimeRelaySeconds, wsConnections, wsEventsRelayed } from '@micronote/server-core';
import type { OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import type { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit } from '@nestjs/websockets';
import { WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';

import { clientIpOf } from '../app.setup';
import { ipTracker, RATE_LIMITS, rateLimitKey } from '../common/rate-limit/rate-limits';
import type { Env } from '../config/env.validation';
import { changeEventMapper } from './change-event';
import type { CollabSocket } from './collab/collab-sessions';
import { CollabSessions } from './collab/collab-sessions';
import { ConnectionSlots, SLOT_RENEW_MS } from './connection-slots';

interface SocketData {
  user: AuthUser;
  /** The socket holds one of its user's WS_MAX_PER_USER slots (given back on disconnect). */
  slot?: boolean;
  stopWatching?: () => void;
  expiry?: NodeJS.Timeout;
}

type RealtimeSocket = Socket<CollabClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

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
 *
 * Handshakes are limited per client IP (WS_HANDSHAKE_RATE_LIMIT per minute, before the token is
 * even checked: `rate_limited`) and capped per user across every instance (WS_MAX_PER_USER open
 * sockets, leased slots in Redis: `too_many_connections`).
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  private stopRevocations?: () => void;
  private renewTimer?: NodeJS.Timeout;
  private readonly handshakeLimit: number;
  private readonly maxPerUser: number;
  private readonly trustProxy?: string;
  private readonly toChangeEvent = changeEventMapper();

  @WebSocketServer()
  server!: Server;

  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly events: EventLog,
    @InjectThrottlerStorage() private readonly rateLimits: ThrottlerStorage,
    private readonly slots: ConnectionSlots,
    private readonly collab: CollabSessions,
    config: ConfigService<Env, true>,
  ) {
    this.handshakeLimit = config.get('WS_HANDSHAKE_RATE_LIMIT', { infer: true });
    this.maxPerUser = config.get('WS_MAX_PER_USER', { infer: true });
    this.trustProxy = config.get('TRUST_PROXY', { infer: true });
    // On /metrics from the start, at 0.
    wsConnections();
    wsEventsRelayed();
    realtimeRelaySeconds();
  }

  afterInit(server: Server): void {
    this.collab.init(server);
    server.use((socket, next) => {
      this.admit(socket as RealtimeSocket).then(
        () => next(),
        (error: Error) => next(error),
      );
    });
    this.stopRevocations = this.events.onSessionsRevoked((message) => this.revoke(message));
    if (this.maxPerUser > 0) {
      this.renewTimer = setInterval(() => void this.slots.renew(this.heldSlots()), SLOT_RENEW_MS);
      this.renewTimer.unref();
    }
  }

  /** The handshake: per-IP rate, then the token, then a slot of the user's WS_MAX_PER_USER. Rejects with the refusal as message. */
  private async admit(socket: RealtimeSocket): Promise<void> {
    if (this.handshakeLimit > 0) {
      const ip = clientIpOf(socket.request, this.trustProxy);
      const { name, ttl } = RATE_LIMITS.wsHandshake;
      const hit = await this.rateLimits.increment(rateLimitKey(ipTracker(ip)), ttl, this.handshakeLimit, ttl, name);
      if (hit.isBlocked) throw new Error(HandshakeRefusal.RateLimited);
    }
    const auth = (socket.handshake.auth ?? {}) as Partial<RealtimeHandshake>;
    if (typeof auth.token !== 'string' || auth.token.length > 4096) throw new Error(HandshakeRefusal.Unauthorized);
    let user: AuthUser;
    try {
      user = await this.verifier.verify(auth.token);
    } catch (error) {
      const unavailable = error instanceof DomainError && error.status === GrpcStatus.UNAVAILABLE;
      throw new Error(unavailable ? HandshakeRefusal.Unavailable : HandshakeRefusal.Unauthorized);
    }
    socket.data = { user };
    if (this.maxPerUser > 0) {
      if (!(await this.slots.acquire(user.userId, socket.id, this.maxPerUser))) throw new Error(HandshakeRefusal.TooManyConnections);
      socket.data.slot = true;
      // Gone before the connection completed: give the slot back (else its lease runs out by itself).
      socket.conn.once('close', () => {
        if (!socket.connected && socket.data.slot) void this.releaseSlot(socket);
      });
    }
  }

  private heldSlots(): { userId: string; socketId: string }[] {
    const held: { userId: string; socketId: string }[] = [];
    for (const socket of this.server.sockets.sockets.values() as Iterable<RealtimeSocket>) {
      if (socket.data?.slot) held.push({ userId: socket.data.user.userId, socketId: socket.id });
    }
    return held;
  }

  private async releaseSlot(socket: RealtimeSocket): Promise<void> {
    socket.data.slot = false;
    await this.slots.release(socket.data.user.userId, socket.id);
  }

  handleConnection(socket: RealtimeSocket): void {
    const { user } = socket.data;
    wsConnections().inc();
    const untilExpiry = Math.min(MAX_TIMER_MS, Math.max(0, user.exp * 1000 - Date.now()));
    socket.data.expiry = setTimeout(() => this.cut(socket, 'token_expired'), untilExpiry);
    const lastEventId = (socket.handshake.auth as Partial<RealtimeHandshake>).lastEventId;
    socket.data.stopWatching = this.events.watch(user.userId, typeof lastEventId === 'string' ? lastEventId : undefined, {
      onEvent: (envelope) => {
        const event = this.toChangeEvent(envelope);
        socket.emit('event', event);
        wsEventsRelayed().inc({ type: event.type });
        this.collab.onUserEvent(socket as CollabSocket, event);
      },
      onResync: () => socket.emit('resync'),
    });
    this.collab.attach(socket as CollabSocket);
  }

  handleDisconnect(socket: RealtimeSocket): void {
    // Sockets refused at the handshake never connected (no user): only count those that did.
    if (socket.data?.user) wsConnections().dec();
    clearTimeout(socket.data?.expiry);
    socket.data?.stopWatching?.();
    this.collab.detach(socket as CollabSocket);
    if (socket.data?.slot) void this.releaseSlot(socket);
  }

  onApplicationShutdown(): void {
    this.stopRevocations?.();
    clearInterval(this.renewTimer);
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
