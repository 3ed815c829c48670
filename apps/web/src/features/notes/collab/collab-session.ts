import type {
  AccessRole,
  CollabAck,
  CollabAwarenessNotice,
  CollabClientToServerEvents,
  CollabClosed,
  CollabJoined,
  CollabPeerJoined,
  CollabPeerLeft,
  CollabRefusal,
  CollabRoleChanged,
  CollabServerToClientEvents,
  CollabUpdateNotice,
} from '@micronote/contracts';
import { COLLAB_TEXT } from '@micronote/contracts';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';

import type { Store } from '../../../lib/store';
import { createStore } from '../../../lib/store';
import { userColour } from './user-colour';

/** The part of the app's socket.io socket a session uses (the real one, or a fake in tests). */
export interface CollabSocket {
  readonly connected: boolean;
  emit<E extends keyof CollabClientToServerEvents>(event: E, ...args: Parameters<CollabClientToServerEvents[E]>): unknown;
  on<E extends keyof CollabServerToClientEvents>(event: E, listener: CollabServerToClientEvents[E]): unknown;
  on(event: 'connect', listener: () => void): unknown;
  on(event: 'disconnect', listener: (reason: string) => void): unknown;
  off<E extends keyof CollabServerToClientEvents>(event: E, listener: CollabServerToClientEvents[E]): unknown;
  off(event: 'connect', listener: () => void): unknown;
  off(event: 'disconnect', listener: (reason: string) => void): unknown;
}

/** Where the session finds the socket: it changes when the realtime client starts over. */
export type SocketSource = Pick<Store<CollabSocket | null>, 'get' | 'subscribe'>;

/**
 * - `joining`: asking the server for what this document misses (first time, or after a
 *   reconnect / a gap in `seq`);
 * - `live`: in step; local edits are sent as they happen;
 * - `offline`: no connection: edits are kept in the document and sent by the next join's sync;
 * - `closed`: the server ended the session (removed, deleted, trashed) or refused the join:
 *   nothing is sent any more.
 */
export type CollabStatus = 'joining' | 'live' | 'offline' | 'closed';

export type ClosedReason = CollabClosed['reason'] | 'notFound' | 'full' | 'error';

/** Someone in the note, from the awareness states (one entry per user, however many tabs). */
export interface CollabPeer {
  userId: string;
  name: string;
  color: string;
  /** This browser tab's own user. */
  self: boolean;
}

export interface CollabState {
  status: CollabStatus;
  /** The role from the last join answer (or `collab:role`); null before the first answer. */
  role: AccessRole | null;
  /** The first join answer has been applied: the document holds the note's text. */
  synced: boolean;
  closedReason: ClosedReason | null;
  peers: CollabPeer[];
}

export interface CollabUser {
  id: string;
  name: string;
}

export interface CollabSessionOptions {
  noteId: string;
  user: CollabUser;
  socket: SocketSource;
  /** Local updates are merged and sent this long after the first one (one message per burst). */
  flushMs?: number;
  /** A gap in `seq` that is still open after this long means a lost message: join again. */
  gapGraceMs?: number;
  /** A refused or failed join is retried after this long (while connected). */
  retryMs?: number;
  /** Told about what the user should know (a refused update, the session closed). */
  onNotice?: (message: string, kind: 'info' | 'error') => void;
}

const RATE_LIMITED_RETRY_MS = 250;
/** Cursor moves are sent at most this often (the last state wins). */
const AWARENESS_MS = 50;

/** Origin of changes that came from the server: never sent back. */
const REMOTE = Symbol('collab-remote');

const CLOSED_MESSAGES: Record<ClosedReason, string> = {
  removed: 'You were removed from this note; live editing ended.',
  deleted: 'This note was deleted; live editing ended.',
  trashed: 'This note was moved to the trash; live editing ended.',
  notFound: 'This note is no longer shared with you.',
  full: 'Too many people are in this note right now; it is shown read-only.',
  error: 'Live editing is not available for this note right now.',
};

/** An update that carries nothing (what encodeStateAsUpdate gives when the other side has it all). */
function isEmptyUpdate(update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update);
  return decoded.structs.length === 0 && decoded.ds.clients.size === 0;
}

/**
 * One open note's live session: a Y.Doc (its `Y.Text` is the note's Markdown) and an Awareness
 * (who is here, their cursors) kept in step with the server over the app's socket.
 *
 * Sync: `collab:join` with the document's state vector; the answer's update is applied and what
 * the server lacks (edits made offline, or sent but never acknowledged) goes back as one
 * `collab:update`. Afterwards local updates are merged per burst and sent with an ack; remote
 * ones arrive with the note's `seq`, and a gap that does not close soon means a lost message:
 * the session joins again (which costs a re-sync, never text). Every reconnect joins again.
 */
export class CollabSession {
  readonly doc = new Y.Doc();
  readonly text: Y.Text = this.doc.getText(COLLAB_TEXT);
  readonly awareness = new Awareness(this.doc);
  readonly undoManager: Y.UndoManager;
  readonly state: Store<CollabState> = createStore<CollabState>({
    status: 'offline',
    role: null,
    synced: false,
    closedReason: null,
    peers: [],
  });
  /** The text as a string, for what follows it (the preview, the history's "current"). */
  readonly liveText: Store<string> = createStore('');

  private readonly flushMs: number;
  private readonly gapGraceMs: number;
  private readonly retryMs: number;
  private socket: CollabSocket | null = null;
  private unsubscribeSocket: () => void;
  /** Local updates not sent yet. */
  private pending: Uint8Array[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private awarenessTimer: ReturnType<typeof setTimeout> | undefined;
  /** Updates sent whose ack has not come back. */
  private inFlight = 0;
  /** Every seq up to this one is in the document. */
  private seq = 0;
  /** Seqs seen past `seq` (out of order, or past a gap). */
  private ahead = new Set<number>();
  /** Bumped by every join: answers to an older one are ignored. */
  private joinAttempt = 0;
  private destroyed = false;

  constructor(private readonly options: CollabSessionOptions) {
    this.flushMs = options.flushMs ?? 20;
    this.gapGraceMs = options.gapGraceMs ?? 1_000;
    this.retryMs = options.retryMs ?? 3_000;
    this.undoManager = new Y.UndoManager(this.text);

    const { color, colorLight } = userColour(options.user.id);
    this.awareness.setLocalStateField('user', { id: options.user.id, name: options.user.name, color, colorLight });

    this.doc.on('update', this.onLocalUpdate);
    this.text.observe(this.onTextChange);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.awareness.on('change', this.refreshPeers);
    this.refreshPeers();

    this.attach(options.socket.get());
    this.unsubscribeSocket = options.socket.subscribe(() => this.attach(options.socket.get()));
  }

  get noteId(): string {
    return this.options.noteId;
  }

  /** True when this client may change the text (an editor or the owner, in a session not closed). */
  get canEdit(): boolean {
    const { role, status } = this.state.get();
    return status !== 'closed' && role !== null && role !== 'viewer';
  }

  /** Leaves the note and frees everything (the editor closed the note). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    // What was typed in the last few milliseconds still goes out before leaving.
    this.flush();
    if (this.socket?.connected && this.state.get().status !== 'closed') this.socket.emit('collab:leave', { noteId: this.noteId });
    this.attach(null);
    this.unsubscribeSocket();
    clearTimeout(this.flushTimer);
    clearTimeout(this.gapTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.awarenessTimer);
    this.doc.off('update', this.onLocalUpdate);
    this.text.unobserve(this.onTextChange);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.off('change', this.refreshPeers);
    this.undoManager.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }

  // ---- socket ----

  private attach(next: CollabSocket | null): void {
    if (next === this.socket) return;
    const previous = this.socket;
    if (previous) {
      previous.off('connect', this.onConnect);
      previous.off('disconnect', this.onDisconnect);
      previous.off('collab:update', this.onRemoteUpdate);
      previous.off('collab:awareness', this.onRemoteAwareness);
      previous.off('collab:peer-joined', this.onPeerJoined);
      previous.off('collab:peer-left', this.onPeerLeft);
      previous.off('collab:closed', this.onClosed);
      previous.off('collab:role', this.onRole);
    }
    this.socket = next;
    if (!next || this.destroyed) return;
    next.on('connect', this.onConnect);
    next.on('disconnect', this.onDisconnect);
    next.on('collab:update', this.onRemoteUpdate);
    next.on('collab:awareness', this.onRemoteAwareness);
    next.on('collab:peer-joined', this.onPeerJoined);
    next.on('collab:peer-left', this.onPeerLeft);
    next.on('collab:closed', this.onClosed);
    next.on('collab:role', this.onRole);
    if (next.connected) this.join();
    else this.onDisconnect();
  }

  private readonly onConnect = () => this.join();

  private readonly onDisconnect = () => {
    if (this.state.get().status === 'closed') return;
    this.inFlight = 0;
    clearTimeout(this.gapTimer);
    clearTimeout(this.retryTimer);
    this.joinAttempt++;
    // The others are out of reach too: nobody is shown as here until the next join.
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    if (others.length) removeAwarenessStates(this.awareness, others, REMOTE);
    this.setState({ status: 'offline' });
  };

  private setState(patch: Partial<CollabState>): void {
    this.state.set((s) => ({ ...s, ...patch }));
  }

  // ---- join ----

  /** Joins (again): the answer brings what this document misses; what the server misses goes back. */
  private join(): void {
    const socket = this.socket;
    if (this.destroyed || !socket?.connected || this.state.get().status === 'closed') return;
    clearTimeout(this.retryTimer);
    clearTimeout(this.gapTimer);
    const attempt = ++this.joinAttempt;
    this.setState({ status: 'joining' });
    socket.emit('collab:join', { noteId: this.noteId, stateVector: Y.encodeStateVector(this.doc) }, (answer) => {
      if (attempt !== this.joinAttempt || this.destroyed) return;
      if (answer.ok) this.joined(answer);
      else this.joinRefused(answer.code, answer.message);
    });
  }

  private joined(answer: CollabJoined): void {
    const update = toBytes(answer.update);
    if (update.length > 0) Y.applyUpdate(this.doc, update, REMOTE);
    this.inFlight = 0;
    this.seq = answer.seq;
    this.ahead = new Set([...this.ahead].filter((s) => s > this.seq));
    this.advance();
    this.setState({ status: 'live', role: answer.role, synced: true });
    // Everything the server lacks (including anything pending or sent without an ack) in one update.
    this.pending = [];
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.canEdit) {
      const stateVector = toBytes(answer.stateVector);
      const missing = stateVector.length > 0 ? Y.encodeStateAsUpdate(this.doc, stateVector) : Y.encodeStateAsUpdate(this.doc);
      if (!isEmptyUpdate(missing)) this.send(missing);
    }
    this.sendAwareness();
  }

  private joinRefused(code: CollabRefusal, message: string): void {
    switch (code) {
      case 'NOT_FOUND':
        return this.close('notFound');
      case 'SESSION_FULL':
        return this.close('full');
      default:
        // Unavailable, rate-limited…: try again in a moment, the edits stay in the document.
        this.setState({ status: 'offline' });
        this.options.onNotice?.(`Live editing is reconnecting: ${message}`, 'info');
        this.retryTimer = setTimeout(() => this.join(), this.retryMs);
    }
  }

  private close(reason: ClosedReason): void {
    if (this.state.get().status === 'closed') return;
    this.joinAttempt++;
    this.pending = [];
    clearTimeout(this.flushTimer);
    clearTimeout(this.gapTimer);
    clearTimeout(this.retryTimer);
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    if (others.length) removeAwarenessStates(this.awareness, others, REMOTE);
    this.setState({ status: 'closed', closedReason: reason });
    this.options.onNotice?.(CLOSED_MESSAGES[reason], reason === 'error' ? 'error' : 'info');
  }

  // ---- updates ----

  private readonly onTextChange = () => this.liveText.set(this.text.toString());

  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === REMOTE || this.destroyed) return;
    this.pending.push(update);
    if (this.flushTimer === undefined) this.flushTimer = setTimeout(() => this.flush(), this.flushMs);
  };

  /** Sends what was typed since the last flush (when live; else the next join's sync sends it). */
  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0 || this.state.get().status !== 'live' || !this.canEdit) return;
    const update = this.pending.length === 1 ? this.pending[0] : Y.mergeUpdates(this.pending);
    this.pending = [];
    this.send(update);
  }

  private send(update: Uint8Array): void {
    const socket = this.socket;
    if (!socket) return;
    const attempt = this.joinAttempt;
    this.inFlight++;
    socket.emit('collab:update', { noteId: this.noteId, update }, (answer: CollabAck<{ seq: number }>) => {
      if (attempt !== this.joinAttempt || this.destroyed) return;
      this.inFlight = Math.max(0, this.inFlight - 1);
      if (answer.ok) return this.saw(answer.seq);
      switch (answer.code) {
        case 'FORBIDDEN':
          // The role changed under us: read-only from now on (the server dropped the update).
          this.setState({ role: 'viewer' });
          this.options.onNotice?.('You can only view this note now; your last change was not saved.', 'error');
          return;
        case 'TOO_LARGE':
          this.options.onNotice?.('That change makes the note too long; it was not saved.', 'error');
          return this.join();
        case 'NOT_FOUND':
          return this.close('notFound');
        case 'RATE_LIMITED':
          // Typed faster than the server takes: the update goes again with the next burst.
          this.pending.unshift(update);
          clearTimeout(this.flushTimer);
          this.flushTimer = setTimeout(() => this.flush(), RATE_LIMITED_RETRY_MS);
          return;
        default:
          // Not joined any more, unavailable…: the join's sync sends the update again.
          return this.join();
      }
    });
  }

  private readonly onRemoteUpdate = (notice: CollabUpdateNotice) => {
    if (notice.noteId !== this.noteId || this.state.get().status === 'closed') return;
    Y.applyUpdate(this.doc, toBytes(notice.update), REMOTE);
    this.saw(notice.seq);
  };

  /** Records a stored update's seq; a gap that stays open means a lost message: join again. */
  private saw(seq: number): void {
    if (seq > this.seq) this.ahead.add(seq);
    this.advance();
    clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    if (this.ahead.size === 0 || this.state.get().status !== 'live') return;
    // Our own updates' acks (and relays through other gateways) can come late: give them a moment.
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      if (this.ahead.size > 0 && this.state.get().status === 'live') this.join();
    }, this.gapGraceMs);
  }

  private advance(): void {
    while (this.ahead.has(this.seq + 1)) {
      this.seq++;
      this.ahead.delete(this.seq);
    }
  }

  // ---- awareness ----

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    if (origin === REMOTE) return;
    const changed = [...added, ...updated, ...removed].filter((id) => id === this.doc.clientID);
    if (changed.length && this.awarenessTimer === undefined)
      this.awarenessTimer = setTimeout(() => {
        this.awarenessTimer = undefined;
        this.sendAwareness();
      }, AWARENESS_MS);
  };

  private sendAwareness(): void {
    if (!this.socket?.connected || this.destroyed) return;
    const { status } = this.state.get();
    if (status !== 'live') return;
    this.socket.emit('collab:awareness', { noteId: this.noteId, update: encodeAwarenessUpdate(this.awareness, [this.doc.clientID]) });
  }

  private readonly onRemoteAwareness = (notice: CollabAwarenessNotice) => {
    if (notice.noteId !== this.noteId || this.state.get().status === 'closed') return;
    applyAwarenessUpdate(this.awareness, toBytes(notice.update), REMOTE);
  };

  /** Someone joined: they need our full state (awareness has no server copy). */
  private readonly onPeerJoined = (notice: CollabPeerJoined) => {
    if (notice.noteId === this.noteId) this.sendAwareness();
  };

  private readonly onPeerLeft = (notice: CollabPeerLeft) => {
    if (notice.noteId !== this.noteId) return;
    const gone = notice.clientIds.filter((id) => id !== this.doc.clientID);
    if (gone.length) removeAwarenessStates(this.awareness, gone, REMOTE);
  };

  private readonly refreshPeers = () => {
    const byUser = new Map<string, CollabPeer>();
    for (const [clientId, state] of this.awareness.getStates()) {
      const user = (state as { user?: { id?: string; name?: string; color?: string } }).user;
      if (!user?.id) continue;
      const self = clientId === this.doc.clientID || user.id === this.options.user.id;
      if (!byUser.has(user.id))
        byUser.set(user.id, { userId: user.id, name: user.name ?? 'Someone', color: user.color ?? '#30bced', self });
    }
    // You first, then the others by name.
    const peers = [...byUser.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
    const current = this.state.get().peers;
    const same = current.length === peers.length && current.every((p, i) => p.userId === peers[i].userId && p.name === peers[i].name);
    if (!same) this.setState({ peers });
  };

  // ---- server decisions ----

  private readonly onClosed = (notice: CollabClosed) => {
    if (notice.noteId === this.noteId) this.close(notice.reason);
  };

  private readonly onRole = (notice: CollabRoleChanged) => {
    if (notice.noteId !== this.noteId) return;
    const wasEditor = this.canEdit;
    this.setState({ role: notice.role });
    if (wasEditor && notice.role === 'viewer') {
      this.pending = [];
      this.options.onNotice?.('You can now only view this note.', 'info');
    } else if (!wasEditor && notice.role !== 'viewer') {
      this.options.onNotice?.('You can now edit this note.', 'info');
      // Re-sync so nothing the server has is missing before typing starts.
      this.join();
    }
  };
}

/** socket.io gives binary payloads as ArrayBuffer (or Buffer in Node): Yjs wants Uint8Array. */
function toBytes(data: Uint8Array | ArrayBuffer): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}
