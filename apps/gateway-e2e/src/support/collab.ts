import type { CollabAck, CollabClosed, CollabJoined, CollabPeerLeft, CollabRoleChanged, CollabUpdateNotice } from '@micronote/contracts';
import { COLLAB_TEXT, CollabRefusal } from '@micronote/contracts';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';
import * as Y from 'yjs';

import { GATEWAY_URL } from './api';

const REMOTE = Symbol('remote');

export type Ack = CollabAck<{ seq: number }>;

/**
 * A real Yjs client of one note over its own socket.io connection, as the SPA's live editor is:
 * a Y.Doc whose local changes go out as `collab:update` (each ack kept), remote updates applied
 * as they come. `join()` syncs both ways (the answer's update in, what the server lacks out);
 * `disconnect()` + `reconnect()` is a tab going offline and back, its document kept.
 */
export class CollabTab {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText(COLLAB_TEXT);
  socket!: Socket;
  role?: string;
  /** The newest seq seen (join answer, relayed updates, own acks). */
  seq = 0;
  readonly acks: Ack[] = [];
  readonly closed: CollabClosed[] = [];
  readonly roles: CollabRoleChanged[] = [];
  readonly peersLeft: CollabPeerLeft[] = [];
  readonly awareness: Uint8Array[] = [];
  peersJoined = 0;
  /** The seqs of the relayed updates received, in arrival order. */
  readonly received: number[] = [];
  private pending = new Set<Promise<Ack>>();
  /** Local changes made while not joined: sent by the next join's sync. */
  private joined = false;

  constructor(
    private readonly token: string,
    readonly noteId: string,
    private url = GATEWAY_URL,
  ) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE || !this.joined) return;
      this.send(update);
    });
  }

  /** Opens the socket (on `url`, default this tab's gateway). */
  async connect(url = this.url): Promise<this> {
    this.url = url;
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: this.token } });
    socket.on('collab:update', (notice: CollabUpdateNotice) => {
      if (notice.noteId !== this.noteId) return;
      this.received.push(notice.seq);
      this.seq = Math.max(this.seq, notice.seq);
      Y.applyUpdate(this.doc, new Uint8Array(notice.update), REMOTE);
    });
    socket.on('collab:closed', (notice: CollabClosed) => {
      this.closed.push(notice);
      this.joined = false;
    });
    socket.on('collab:role', (notice: CollabRoleChanged) => {
      this.roles.push(notice);
      this.role = notice.role;
    });
    socket.on('collab:peer-left', (notice: CollabPeerLeft) => this.peersLeft.push(notice));
    socket.on('collab:peer-joined', () => this.peersJoined++);
    socket.on('collab:awareness', (notice: { update: Uint8Array }) => this.awareness.push(new Uint8Array(notice.update)));
    socket.on('disconnect', () => (this.joined = false));
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
    return this;
  }

  /** collab:join with this document's state vector: applies what it lacks, then sends what the server lacks. */
  async join(): Promise<CollabAck<CollabJoined>> {
    const answer = await this.request<CollabAck<CollabJoined>>('collab:join', {
      noteId: this.noteId,
      stateVector: Y.encodeStateVector(this.doc),
    });
    if (!answer.ok) return answer;
    this.role = answer.role;
    this.seq = Math.max(this.seq, answer.seq);
    Y.applyUpdate(this.doc, new Uint8Array(answer.update), REMOTE);
    this.joined = true;
    const missing = Y.encodeStateAsUpdate(this.doc, new Uint8Array(answer.stateVector));
    // An update that carries nothing is [0, 0] (no structs, empty delete set).
    if (missing.length > 2) this.send(missing);
    return answer;
  }

  leave(): void {
    this.joined = false;
    this.socket.emit('collab:leave', { noteId: this.noteId });
  }

  /** Sends raw `update` bytes (or anything) as collab:update and answers the ack. */
  sendRaw(request: unknown): Promise<Ack> {
    return this.request<Ack>('collab:update', request);
  }

  awarenessRaw(update: Uint8Array): void {
    this.socket.emit('collab:awareness', { noteId: this.noteId, update });
  }

  /** Every update sent so far has its ack. */
  async flush(): Promise<Ack[]> {
    const acks: Ack[] = [];
    while (this.pending.size > 0) acks.push(...(await Promise.all([...this.pending])));
    return acks;
  }

  refusals(): CollabRefusal[] {
    return this.acks.flatMap((ack) => (ack.ok ? [] : [ack.code]));
  }

  disconnect(): void {
    this.joined = false;
    this.socket.disconnect();
  }

  close(): void {
    this.socket?.close();
    this.doc.destroy();
  }

  private send(update: Uint8Array): void {
    const sent = this.request<Ack>('collab:update', { noteId: this.noteId, update })
      // A tab closed (or disconnected) before its ack: no answer will come; the next join's sync resends.
      .catch((error: Error): Ack => ({ ok: false, code: CollabRefusal.Unavailable, message: error.message }))
      .then((ack) => {
        this.acks.push(ack);
        if (ack.ok) this.seq = Math.max(this.seq, ack.seq);
        this.pending.delete(sent);
        return ack;
      });
    this.pending.add(sent);
  }

  private request<T>(event: string, payload: unknown, ms = 15_000): Promise<T> {
    return this.socket.timeout(ms).emitWithAck(event, payload) as Promise<T>;
  }
}

/** A connected tab of `noteId` (not joined yet). */
export function collabTab(token: string, noteId: string, url?: string): Promise<CollabTab> {
  return new CollabTab(token, noteId, url).connect();
}

/** Polls until `check` is true (rejects after `ms` with `describe()`); the state is asserted afterwards. */
export async function until(check: () => boolean | Promise<boolean>, describe: () => string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until every tab shows the same text. */
export function converged(tabs: CollabTab[], ms?: number): Promise<void> {
  return until(
    () => tabs.every((tab) => tab.text.toString() === tabs[0].text.toString()),
    () => `texts differ: ${tabs.map((tab) => JSON.stringify(tab.text.toString().slice(0, 40)) + `(${tab.text.length})`).join(' ')}`,
    ms,
  );
}

/** A y-protocols awareness update of one client (varUint count 1, clientID, clock, state JSON). */
export function awarenessUpdate(clientId: number, clock: number, state: object): Uint8Array {
  const varUint = (n: number) => {
    const out: number[] = [];
    while (n > 0x7f) {
      out.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
    return out;
  };
  const json = Buffer.from(JSON.stringify(state));
  return new Uint8Array([...varUint(1), ...varUint(clientId), ...varUint(clock), ...varUint(json.length), ...json]);
}
