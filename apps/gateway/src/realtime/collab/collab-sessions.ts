import { randomUUID } from 'node:crypto';

import type { AuthUser } from '@micronote/auth-session';
import type {
  AccessRole,
  ChangeEvent,
  CollabAck,
  CollabClientToServerEvents,
  CollabClosed,
  CollabJoined,
  ServerToClientEvents,
} from '@micronote/contracts';
import { COLLAB_LIMITS, CollabRefusal, EventType } from '@micronote/contracts';
import type { CollabRelayMessage } from '@micronote/events';
import { CollabRelay } from '@micronote/events';
import { notesV1 } from '@micronote/proto';
import { metric } from '@micronote/server-core';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { Counter, Gauge } from 'prom-client';
import type { Server, Socket } from 'socket.io';

import { GrpcCaller } from '../../common/grpc/grpc-caller';
import {
  awarenessClientIds,
  binaryRequestOf,
  CollabRefused,
  isAccessRole,
  MAX_AWARENESS_CLIENTS,
  noteIdOf,
  refusal,
  refusalOfRpcError,
} from './collab-input';

/** Notes one socket may have joined at once (a tab edits one; a few for split views). */
export const MAX_NOTES_PER_SOCKET = 8;
/** Updates per second one socket may send (burst as large): far above typing, below a flood. */
export const UPDATES_PER_SECOND = 200;
/** Awareness updates per second one socket may send (cursor moves); more are dropped silently. */
export const AWARENESS_PER_SECOND = 60;

export const collabUpdatesDropped = () =>
  metric(
    'collab_updates_dropped_total',
    () =>
      new Counter({
        name: 'collab_updates_dropped_total',
        help: 'Live-collaboration updates the gateway refused before or at notes-service, by reason (viewer, rate_limited, too_large, invalid, not_joined, refused)',
        labelNames: ['reason'],
      }),
  );

export const collabSessionsGauge = () =>
  metric(
    'collab_sessions',
    () =>
      new Gauge({
        name: 'collab_sessions',
        help: "Sockets joined to a note's live session on this gateway (one per socket and note)",
      }),
  );

/** What a socket holds per joined note. */
interface JoinedNote {
  role: AccessRole;
  /** Awareness client ids the socket announced in this note (peer-left on leave). */
  clientIds: Set<number>;
  /**
   * The socket's last update to this note on its way to notes-service: the next one waits for it,
   * so a socket's updates are stored in the order it sent them (a later one builds on the earlier).
   */
  applying: Promise<unknown>;
}

/** Per socket: its joined notes and its update budget. */
interface CollabSocketData {
  user: AuthUser;
  collab?: CollabSocketState;
}

interface CollabSocketState {
  notes: Map<string, JoinedNote>;
  /** Joins under way (counted against MAX_NOTES_PER_SOCKET and the room cap). */
  joining: Set<string>;
  updates: TokenBucket;
  awareness: TokenBucket;
}

export type CollabSocket = Socket<CollabClientToServerEvents, ServerToClientEvents, Record<string, never>, CollabSocketData>;

/** One note's local session: its sockets, joins under way (with relayed updates buffered for them), the relay subscription. */
interface Room {
  sockets: Set<CollabSocket>;
  joining: Map<CollabSocket, CollabRelayMessage[]>;
  unsubscribe: () => void;
  /** Seqs of the updates handed to the room lately (the ack's and the relay's copy of one update go once). */
  delivered: Set<number>;
}

/** How many recent seqs a room remembers (far more than can be in flight between an ack and its relay). */
const DELIVERED_MEMORY = 4096;

class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const roomName = (noteId: string) => `collab:${noteId}`;

/**
 * The gateway side of live collaboration (contracts `collab.ts`), on the realtime socket.io
 * connection: RealtimeGateway hands every authenticated socket to `attach`, its user's change
 * events to `onUserEvent` and its disconnect to `detach`.
 *
 * Per socket it keeps the notes joined with the role JoinNoteSession answered; viewers' updates
 * stop here (FORBIDDEN, counted, logged), every other update goes to ApplyNoteUpdate, where
 * notes-service checks the role again in its transaction. Per note this gateway listens once to
 * the note's relay channel (CollabRelay, ref-counted by the local sockets in the room) and hands
 * each stored update, awareness update and peer-left to its own sockets in the room except the
 * origin socket; so two gateways behave as one (every message crosses Redis once per gateway).
 * COLLAB_LIMITS.editorsPerNote is a cap per gateway instance.
 */
@Injectable()
export class CollabSessions implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CollabSessions.name);
  private notes!: notesV1.NotesServiceClient;
  private server?: Server;
  private readonly rooms = new Map<string, Room>();

  constructor(
    @Inject(notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME) private readonly client: ClientGrpc,
    private readonly grpc: GrpcCaller,
    private readonly relay: CollabRelay,
  ) {
    collabUpdatesDropped();
    collabSessionsGauge();
  }

  onModuleInit(): void {
    this.notes = this.client.getService<notesV1.NotesServiceClient>(notesV1.NOTES_SERVICE_NAME);
  }

  init(server: Server): void {
    this.server = server;
  }

  /** Listens to the socket's collab:* events. */
  attach(socket: CollabSocket): void {
    socket.data.collab = {
      notes: new Map(),
      joining: new Set(),
      updates: new TokenBucket(UPDATES_PER_SECOND),
      awareness: new TokenBucket(AWARENESS_PER_SECOND),
    };
    socket.on('collab:join', (request, ack) => this.answer(ack, () => this.join(socket, request)));
    socket.on('collab:update', (request, ack) => this.answer(ack, () => this.update(socket, request)));
    socket.on('collab:awareness', (request) => this.awareness(socket, request));
    socket.on('collab:leave', (request) => {
      try {
        this.leave(socket, noteIdOf(request));
      } catch {
        // a malformed leave: nothing joined under it
      }
    });
  }

  /** The socket is gone: it leaves every note (peers get its awareness ids as peer-left). */
  detach(socket: CollabSocket): void {
    const state = socket.data?.collab;
    if (!state) return;
    for (const noteId of [...state.notes.keys()]) this.leave(socket, noteId);
    for (const noteId of state.joining) this.rooms.get(noteId)?.joining.delete(socket);
  }

  /**
   * The socket's user's change events: a membership of this user ended (`role: null`) → closed
   * 'removed'; changed → collab:role; the note deleted or put in the trash → closed.
   */
  onUserEvent(socket: CollabSocket, event: ChangeEvent): void {
    const state = socket.data?.collab;
    const noteId = event.noteId ?? event.note?.id;
    if (!state || !noteId) return;
    const joined = state.notes.get(noteId);
    const joining = state.joining.has(noteId);
    if (!joined && !joining) return;
    if (event.type === EventType.NoteMembersChanged && event.member?.userId === socket.data.user.userId) {
      const role = event.member.role;
      if (role === null || event.member.status === 'pending') this.close(socket, noteId, 'removed');
      else if (joined && joined.role !== role) {
        joined.role = role;
        socket.emit('collab:role', { noteId, role });
      }
    } else if (event.type === EventType.NoteDeleted) {
      this.close(socket, noteId, 'deleted');
    } else if (event.type === EventType.NoteUpdated && event.note?.deletedAt) {
      this.close(socket, noteId, 'trashed');
    }
  }

  onApplicationShutdown(): void {
    for (const room of this.rooms.values()) room.unsubscribe();
    this.rooms.clear();
  }

  /** How many notes this gateway listens to (tests, metrics). */
  roomCount(): number {
    return this.rooms.size;
  }

  // --- the handlers ---

  private async join(socket: CollabSocket, request: unknown): Promise<CollabJoined> {
    const { noteId, bytes: stateVector } = binaryRequestOf(request, 'stateVector', true);
    const state = this.stateOf(socket);
    if (state.joining.has(noteId)) throw new CollabRefused(CollabRefusal.Invalid, 'a join of this note is already under way');
    const rejoin = state.notes.has(noteId);
    if (!rejoin && state.notes.size + state.joining.size >= MAX_NOTES_PER_SOCKET) {
      throw new CollabRefused(CollabRefusal.Full, `one connection may join at most ${MAX_NOTES_PER_SOCKET} notes`);
    }
    const room = this.roomOf(noteId);
    if (!rejoin && room.sockets.size + room.joining.size >= COLLAB_LIMITS.editorsPerNote) {
      this.dropIfEmpty(noteId, room);
      throw new CollabRefused(CollabRefusal.Full, `the note's live session is full (${COLLAB_LIMITS.editorsPerNote} connections)`);
    }
    // In the room's relay subscription before the join is read, so nothing stored after that read is missed
    // (a re-joining socket is in the room already and keeps getting every update).
    state.joining.add(noteId);
    if (!rejoin) room.joining.set(socket, []);
    let answer: notesV1.JoinNoteSessionResponse;
    try {
      answer = await this.grpc.call(
        this.notes,
        'joinNoteSession',
        { userId: socket.data.user.userId, noteId, stateVector },
        this.context(socket),
      );
    } catch (error) {
      const refused = refusalOfRpcError(error);
      room.joining.delete(socket);
      // The note is gone for this user: a re-join that failed ends the session too.
      if (rejoin && refused.code === CollabRefusal.NotFound) this.leave(socket, noteId);
      else this.dropIfEmpty(noteId, room);
      throw refused;
    } finally {
      state.joining.delete(noteId);
    }
    const buffered = rejoin ? [] : room.joining.get(socket);
    room.joining.delete(socket);
    if (!buffered || !socket.connected || (rejoin && !state.notes.has(noteId))) {
      // Disconnected (or closed) while the join was under way.
      this.dropIfEmpty(noteId, room);
      throw new CollabRefused(CollabRefusal.NotFound, 'the session ended while joining');
    }
    if (!isAccessRole(answer.role)) throw new CollabRefused(CollabRefusal.Unavailable, `unexpected role ${answer.role}`);
    const joined = state.notes.get(noteId);
    if (joined) joined.role = answer.role;
    else {
      state.notes.set(noteId, { role: answer.role, clientIds: new Set(), applying: Promise.resolve() });
      collabSessionsGauge().inc();
    }
    room.sockets.add(socket);
    void socket.join(roomName(noteId));
    if (!rejoin) this.server?.local.to(roomName(noteId)).except(socket.id).emit('collab:peer-joined', { noteId });
    // Updates stored after the join's read, relayed before its answer came: after the answer, in order.
    const seq = answer.seq ?? 0;
    queueMicrotask(() => {
      for (const message of buffered) {
        if (message.kind === 'update' && message.seq > seq && message.origin !== socket.id) {
          socket.emit('collab:update', { noteId, update: message.update, seq: message.seq });
        }
      }
    });
    return { role: answer.role, update: answer.update ?? new Uint8Array(0), stateVector: answer.stateVector ?? new Uint8Array(0), seq };
  }

  private async update(socket: CollabSocket, request: unknown): Promise<{ seq: number }> {
    let noteId: string;
    let update: Uint8Array;
    try {
      ({ noteId, bytes: update } = binaryRequestOf(request, 'update'));
    } catch (error) {
      this.dropped(error instanceof CollabRefused && error.code === CollabRefusal.TooLarge ? 'too_large' : 'invalid');
      throw error;
    }
    const state = this.stateOf(socket);
    const joined = state.notes.get(noteId);
    if (!joined) {
      this.dropped('not_joined');
      throw new CollabRefused(CollabRefusal.NotJoined, 'join the note first');
    }
    if (joined.role === 'viewer') {
      this.dropped('viewer');
      this.logger.warn(`dropped a live update of viewer ${socket.data.user.userId} in note ${noteId}`);
      throw new CollabRefused(CollabRefusal.Forbidden, 'viewers cannot edit this note');
    }
    if (!state.updates.take()) {
      this.dropped('rate_limited');
      throw new CollabRefused(CollabRefusal.RateLimited, `more than ${UPDATES_PER_SECOND} updates per second`);
    }
    const applied = joined.applying.then(() =>
      this.grpc.call(
        this.notes,
        'applyNoteUpdate',
        { userId: socket.data.user.userId, noteId, update, origin: socket.id },
        this.context(socket),
      ),
    );
    joined.applying = applied.catch(() => undefined);
    try {
      const answer = await applied;
      const seq = answer.seq ?? 0;
      // Stored: to this gateway's other sockets in the note at once, not only when the relay (Redis) brings it back;
      // so an acknowledged update reaches them even if its relay message is lost, and sooner.
      const room = this.rooms.get(noteId);
      if (answer.stored && room) this.deliver(noteId, room, { kind: 'update', seq, update, origin: socket.id });
      return { seq };
    } catch (error) {
      const refused = refusalOfRpcError(error);
      this.dropped('refused');
      if (refused.code === CollabRefusal.NotFound) this.close(socket, noteId, 'removed');
      else if (
        refused.code === CollabRefusal.Forbidden &&
        state.notes.get(noteId) === joined &&
        state.notes.get(noteId)?.role !== 'viewer'
      ) {
        // notes-service knows better: this user is a viewer now.
        joined.role = 'viewer';
        socket.emit('collab:role', { noteId, role: 'viewer' });
      }
      throw refused;
    }
  }

  /** Relays the socket's awareness (presence, cursors) to everyone else in the note; malformed or too many: dropped. */
  private awareness(socket: CollabSocket, request: unknown): void {
    let noteId: string;
    let update: Uint8Array;
    try {
      ({ noteId, bytes: update } = binaryRequestOf(request, 'update'));
    } catch {
      return;
    }
    const joined = socket.data.collab?.notes.get(noteId);
    if (!joined || !socket.data.collab?.awareness.take()) return;
    const clientIds = awarenessClientIds(update);
    if (!clientIds) return;
    for (const id of clientIds) {
      if (!joined.clientIds.has(id) && joined.clientIds.size >= MAX_AWARENESS_CLIENTS) return;
      joined.clientIds.add(id);
    }
    void this.relay.publish(noteId, { kind: 'awareness', update, origin: socket.id });
  }

  /** The socket leaves the note: out of the room, peers told its awareness ids, the relay dropped with the last local socket. */
  private leave(socket: CollabSocket, noteId: string): void {
    const joined = socket.data?.collab?.notes.get(noteId);
    const room = this.rooms.get(noteId);
    room?.joining.delete(socket);
    if (joined) {
      socket.data.collab?.notes.delete(noteId);
      collabSessionsGauge().dec();
      if (joined.clientIds.size > 0) void this.relay.publish(noteId, { kind: 'left', clientIds: [...joined.clientIds], origin: socket.id });
    }
    void socket.leave(roomName(noteId));
    if (!room) return;
    room.sockets.delete(socket);
    this.dropIfEmpty(noteId, room);
  }

  private close(socket: CollabSocket, noteId: string, reason: CollabClosed['reason']): void {
    this.leave(socket, noteId);
    socket.emit('collab:closed', { noteId, reason });
  }

  // --- rooms and the relay ---

  private roomOf(noteId: string): Room {
    let room = this.rooms.get(noteId);
    if (!room) {
      const created: Room = { sockets: new Set(), joining: new Map(), unsubscribe: () => undefined, delivered: new Set() };
      created.unsubscribe = this.relay.subscribe(noteId, (message) => this.relayed(noteId, created, message));
      this.rooms.set(noteId, created);
      room = created;
    }
    return room;
  }

  private dropIfEmpty(noteId: string, room: Room): void {
    if (room.sockets.size > 0 || room.joining.size > 0 || this.rooms.get(noteId) !== room) return;
    this.rooms.delete(noteId);
    room.unsubscribe();
  }

  /** A message on the note's channel: to this gateway's sockets in the room except its origin. */
  private relayed(noteId: string, room: Room, message: CollabRelayMessage): void {
    if (message.kind === 'update') return this.deliver(noteId, room, message);
    if (room.sockets.size === 0 || !this.server) return;
    const others = this.server.local.to(roomName(noteId)).except(message.origin || []);
    switch (message.kind) {
      case 'awareness':
        others.emit('collab:awareness', { noteId, update: message.update });
        break;
      case 'left':
        others.emit('collab:peer-left', { noteId, clientIds: message.clientIds });
        break;
    }
  }

  /**
   * A stored update to the room's sockets except its origin (and into the buffers of joins under
   * way), once per seq: it comes from the sender's ack on this gateway and again from the relay.
   */
  private deliver(noteId: string, room: Room, message: Extract<CollabRelayMessage, { kind: 'update' }>): void {
    if (room.delivered.has(message.seq)) return;
    room.delivered.add(message.seq);
    if (room.delivered.size > DELIVERED_MEMORY) room.delivered.delete(room.delivered.values().next().value as number);
    for (const buffer of room.joining.values()) buffer.push(message);
    if (room.sockets.size === 0 || !this.server) return;
    this.server.local
      .to(roomName(noteId))
      .except(message.origin || [])
      .emit('collab:update', { noteId, update: message.update, seq: message.seq });
  }

  // --- helpers ---

  private stateOf(socket: CollabSocket): CollabSocketState {
    const state = socket.data.collab;
    if (!state) throw new CollabRefused(CollabRefusal.Unavailable, 'this connection is not ready');
    return state;
  }

  private context(socket: CollabSocket) {
    return { requestId: randomUUID(), userId: socket.data.user.userId };
  }

  private dropped(reason: 'viewer' | 'rate_limited' | 'too_large' | 'invalid' | 'not_joined' | 'refused'): void {
    collabUpdatesDropped().inc({ reason });
  }

  /** Runs a handler and answers its ack: the result as `{ok: true, …}`, a refusal as `{ok: false, code, message}`; never throws. */
  private answer<T extends object>(ack: unknown, handler: () => Promise<T>): void {
    const reply = typeof ack === 'function' ? (ack as (answer: CollabAck<T>) => void) : () => undefined;
    handler().then(
      (result) => reply({ ok: true, ...result }),
      (error: unknown) => {
        if (!(error instanceof CollabRefused)) this.logger.error(`collab handler failed: ${(error as Error).stack ?? String(error)}`);
        const refused = error instanceof CollabRefused ? error : refusalOfRpcError(error);
        reply(refusal(refused.code, refused.message) as CollabAck<T>);
      },
    );
  }
}
