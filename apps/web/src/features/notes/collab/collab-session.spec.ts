import type { AccessRole, CollabAck, CollabJoined } from '@micronote/contracts';
import { COLLAB_TEXT } from '@micronote/contracts';
import { encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';

import { createStore } from '../../../lib/store';
import type { CollabSocket } from './collab-session';
import { CollabSession } from './collab-session';

type Listener = (...args: never[]) => void;

/**
 * The gateway + notes-service in memory: one Y.Doc per note with a seq, roles per user, relays
 * to every other joined socket. `dropRelays` loses relayed messages (as a broken link would).
 */
class FakeServer {
  readonly doc = new Y.Doc();
  seq = 0;
  roles = new Map<string, AccessRole>();
  sockets = new Set<FakeSocket>();
  dropRelays = false;
  joins = 0;
  updates = 0;

  constructor(text: string) {
    this.doc.getText(COLLAB_TEXT).insert(0, text);
  }

  get text(): string {
    return this.doc.getText(COLLAB_TEXT).toString();
  }

  socket(userId: string): FakeSocket {
    const socket = new FakeSocket(this, userId);
    this.sockets.add(socket);
    return socket;
  }

  relay(from: FakeSocket, event: string, payload: object): void {
    if (this.dropRelays) return;
    for (const other of this.sockets) if (other !== from && other.joined && other.connected) other.receive(event, payload);
  }
}

class FakeSocket implements CollabSocket {
  connected = true;
  joined = false;
  private listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly server: FakeServer,
    readonly userId: string,
  ) {}

  on(event: string, listener: Listener): this {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)?.add(listener);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  receive(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }

  disconnect(): void {
    this.connected = false;
    this.joined = false;
    this.receive('disconnect', 'transport close');
  }

  reconnect(): void {
    this.connected = true;
    this.receive('connect');
  }

  emit(event: string, ...args: unknown[]): this {
    if (!this.connected) return this;
    const server = this.server;
    const [request, ack] = args as [{ noteId: string; stateVector?: Uint8Array; update?: Uint8Array }, ((a: unknown) => void) | undefined];
    const role = server.roles.get(this.userId);
    switch (event) {
      case 'collab:join': {
        server.joins++;
        if (!role) return (ack?.({ ok: false, code: 'NOT_FOUND', message: 'Note not found' }), this);
        this.joined = true;
        const answer: CollabAck<CollabJoined> = {
          ok: true,
          role,
          update: Y.encodeStateAsUpdate(server.doc, request.stateVector),
          stateVector: Y.encodeStateVector(server.doc),
          seq: server.seq,
        };
        ack?.(answer);
        server.relay(this, 'collab:peer-joined', { noteId: request.noteId });
        return this;
      }
      case 'collab:update': {
        if (!this.joined) return (ack?.({ ok: false, code: 'NOT_JOINED', message: 'Join first' }), this);
        if (role === 'viewer') return (ack?.({ ok: false, code: 'FORBIDDEN', message: 'Viewers cannot edit' }), this);
        server.updates++;
        Y.applyUpdate(server.doc, request.update as Uint8Array);
        const seq = ++server.seq;
        ack?.({ ok: true, seq });
        server.relay(this, 'collab:update', { noteId: request.noteId, update: request.update, seq });
        return this;
      }
      case 'collab:awareness':
        server.relay(this, 'collab:awareness', { noteId: request.noteId, update: request.update });
        return this;
      case 'collab:leave':
        this.joined = false;
        return this;
    }
    return this;
  }
}

const FLUSH_MS = 5;
const flush = () => jest.advanceTimersByTimeAsync(FLUSH_MS + 1);

function open(server: FakeServer, userId: string, name = userId) {
  const socket = server.socket(userId);
  const source = createStore<CollabSocket | null>(socket);
  const notices: string[] = [];
  const session = new CollabSession({
    noteId: '1',
    user: { id: userId, name },
    socket: source,
    flushMs: FLUSH_MS,
    gapGraceMs: 50,
    retryMs: 100,
    onNotice: (message) => notices.push(message),
  });
  return { session, socket, source, notices };
}

describe(CollabSession.name, () => {
  let sessions: CollabSession[] = [];
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    sessions.forEach((s) => s.destroy());
    sessions = [];
    jest.useRealTimers();
  });
  const track = <T extends { session: CollabSession }>(x: T): T => {
    sessions.push(x.session);
    return x;
  };

  it('joins with its state vector and gets the note’s text and role', () => {
    const server = new FakeServer('Hello');
    server.roles.set('a', 'owner');
    const { session } = track(open(server, 'a'));
    expect(session.text.toString()).toBe('Hello');
    expect(session.state.get()).toMatchObject({ status: 'live', role: 'owner', synced: true });
  });

  it('sends local edits merged per burst, and the other side sees them', async () => {
    const server = new FakeServer('ab');
    server.roles.set('a', 'owner').set('b', 'editor');
    const a = track(open(server, 'a'));
    const b = track(open(server, 'b'));
    a.session.text.insert(1, 'X');
    a.session.text.insert(2, 'Y');
    a.session.text.insert(3, 'Z');
    expect(server.updates).toBe(0);
    await flush();
    expect(server.updates).toBe(1);
    expect(server.text).toBe('aXYZb');
    expect(b.session.text.toString()).toBe('aXYZb');

    b.session.text.insert(0, '>');
    await flush();
    expect(a.session.text.toString()).toBe('>aXYZb');
  });

  it('concurrent edits at the same place converge', async () => {
    const server = new FakeServer('');
    server.roles.set('a', 'owner').set('b', 'editor');
    const a = track(open(server, 'a'));
    const b = track(open(server, 'b'));
    for (let i = 0; i < 50; i++) {
      a.session.text.insert(0, 'a');
      b.session.text.insert(0, 'b');
      if (i % 7 === 0) await flush();
    }
    await flush();
    expect(a.session.text.toString()).toBe(server.text);
    expect(b.session.text.toString()).toBe(server.text);
    expect(server.text).toHaveLength(100);
  });

  it('a gap in seq (a lost relay) makes it join again and catch up', async () => {
    const server = new FakeServer('');
    server.roles.set('a', 'owner').set('b', 'editor');
    const a = track(open(server, 'a'));
    const b = track(open(server, 'b'));
    server.dropRelays = true;
    a.session.text.insert(0, 'lost ');
    await flush();
    server.dropRelays = false;
    a.session.text.insert(5, 'found');
    await flush();
    // b got seq 2 while it has only seq 0 (Yjs holds it back: it builds on what b lacks);
    // after the grace period b joins again.
    expect(b.session.text.toString()).toBe('');
    const joins = server.joins;
    await jest.advanceTimersByTimeAsync(60);
    expect(server.joins).toBe(joins + 1);
    expect(b.session.text.toString()).toBe('lost found');
  });

  it('out-of-order seqs that fill in within the grace period need no re-join', async () => {
    const server = new FakeServer('x');
    server.roles.set('a', 'owner');
    const { session, socket } = track(open(server, 'a'));
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(server.doc));
    const updates: Uint8Array[] = [];
    other.on('update', (u: Uint8Array) => updates.push(u));
    other.getText(COLLAB_TEXT).insert(1, '1');
    other.getText(COLLAB_TEXT).insert(2, '2');
    const joins = server.joins;
    socket.receive('collab:update', { noteId: '1', update: updates[1], seq: 2 });
    socket.receive('collab:update', { noteId: '1', update: updates[0], seq: 1 });
    await jest.advanceTimersByTimeAsync(60);
    expect(server.joins).toBe(joins);
    expect(session.text.toString()).toBe('x12');
  });

  it('keeps edits made offline and sends them with the re-join after the reconnect', async () => {
    const server = new FakeServer('base');
    server.roles.set('a', 'owner').set('b', 'editor');
    const a = track(open(server, 'a'));
    const b = track(open(server, 'b'));
    a.socket.disconnect();
    expect(a.session.state.get().status).toBe('offline');
    a.session.text.insert(4, ' offline-a');
    await flush();
    b.session.text.insert(0, 'online-b ');
    await flush();
    expect(server.text).toBe('online-b base');

    a.socket.reconnect();
    expect(a.session.state.get().status).toBe('live');
    expect(server.text).toBe('online-b base offline-a');
    expect(a.session.text.toString()).toBe(server.text);
    expect(b.session.text.toString()).toBe(server.text);
  });

  it('re-sends an update whose ack never came, through the next join', async () => {
    const server = new FakeServer('');
    server.roles.set('a', 'owner');
    const { session, socket } = track(open(server, 'a'));
    // The connection drops just as the update goes out: the server never gets it.
    session.text.insert(0, 'typed');
    socket.connected = false;
    await flush();
    socket.disconnect();
    expect(server.text).toBe('');
    socket.reconnect();
    expect(server.text).toBe('typed');
  });

  it('an update refused as RATE_LIMITED goes again a moment later', async () => {
    const server = new FakeServer('');
    server.roles.set('a', 'owner');
    const { session, socket } = track(open(server, 'a'));
    const emit = socket.emit.bind(socket);
    let refuse = true;
    jest.spyOn(socket, 'emit').mockImplementation((event: string, ...args: unknown[]) => {
      if (event === 'collab:update' && refuse) {
        refuse = false;
        (args[1] as (a: unknown) => void)({ ok: false, code: 'RATE_LIMITED', message: 'slow down' });
        return socket;
      }
      return emit(event, ...args);
    });
    session.text.insert(0, 'fast');
    await flush();
    expect(server.text).toBe('');
    await jest.advanceTimersByTimeAsync(300);
    expect(server.text).toBe('fast');
  });

  it('follows a new socket when the realtime client starts over', () => {
    const server = new FakeServer('t');
    server.roles.set('a', 'owner');
    const { session, source } = track(open(server, 'a'));
    source.set(null);
    expect(session.state.get().status).toBe('live');
    const fresh = server.socket('a');
    source.set(fresh);
    expect(fresh.joined).toBe(true);
  });

  it('a viewer is read-only: nothing it does is sent', async () => {
    const server = new FakeServer('read me');
    server.roles.set('v', 'viewer');
    const { session } = track(open(server, 'v'));
    expect(session.state.get().role).toBe('viewer');
    expect(session.canEdit).toBe(false);
    session.text.insert(0, 'nope');
    await flush();
    expect(server.updates).toBe(0);
    expect(server.text).toBe('read me');
  });

  it('collab:role makes an editor a viewer (and back, with a re-sync)', async () => {
    const server = new FakeServer('');
    server.roles.set('a', 'editor');
    const { session, socket } = track(open(server, 'a'));
    socket.receive('collab:role', { noteId: '1', role: 'viewer' });
    expect(session.canEdit).toBe(false);
    const joins = server.joins;
    socket.receive('collab:role', { noteId: '1', role: 'editor' });
    expect(session.canEdit).toBe(true);
    expect(server.joins).toBe(joins + 1);
  });

  it('an update refused as FORBIDDEN turns the session read-only', async () => {
    const server = new FakeServer('');
    server.roles.set('a', 'editor');
    const { session, notices } = track(open(server, 'a'));
    server.roles.set('a', 'viewer');
    session.text.insert(0, 'late');
    await flush();
    expect(session.canEdit).toBe(false);
    expect(notices.join()).toMatch(/only view/);
  });

  it('collab:closed ends the session: read-only, a notice, nothing sent any more', async () => {
    const server = new FakeServer('');
    server.roles.set('a', 'editor');
    const { session, socket, notices } = track(open(server, 'a'));
    socket.receive('collab:closed', { noteId: '1', reason: 'removed' });
    expect(session.state.get()).toMatchObject({ status: 'closed', closedReason: 'removed' });
    expect(session.canEdit).toBe(false);
    expect(notices).toEqual([expect.stringMatching(/removed/)]);
    session.text.insert(0, 'x');
    await flush();
    socket.disconnect();
    socket.reconnect();
    expect(server.updates).toBe(0);
  });

  it('a refused join (not shared any more) closes the session', () => {
    const server = new FakeServer('');
    const { session } = track(open(server, 'stranger'));
    expect(session.state.get()).toMatchObject({ status: 'closed', closedReason: 'notFound' });
  });

  it('ignores what is meant for another note', async () => {
    const server = new FakeServer('');
    server.roles.set('a', 'owner');
    const { session, socket } = track(open(server, 'a'));
    const other = new Y.Doc();
    other.getText(COLLAB_TEXT).insert(0, 'elsewhere');
    socket.receive('collab:update', { noteId: '2', update: Y.encodeStateAsUpdate(other), seq: 1 });
    expect(session.text.toString()).toBe('');
  });

  describe('presence', () => {
    it('each side sees the other (name and colour) and answers a peer-joined with its state', async () => {
      const server = new FakeServer('');
      server.roles.set('a', 'owner').set('b', 'editor');
      const a = track(open(server, 'a', 'Ada'));
      const b = track(open(server, 'b', 'Bob'));
      // a answered b's peer-joined with its full state; b sent its own after joining.
      expect(b.session.state.get().peers.map((p) => [p.name, p.self])).toEqual([
        ['Bob', true],
        ['Ada', false],
      ]);
      expect(a.session.state.get().peers.map((p) => p.name)).toEqual(['Ada', 'Bob']);
      expect(a.session.state.get().peers[1].color).toMatch(/^#[0-9a-f]{6}$/);
    });

    it('collab:peer-left removes the peer', () => {
      const server = new FakeServer('');
      server.roles.set('a', 'owner').set('b', 'editor');
      const a = track(open(server, 'a', 'Ada'));
      const b = track(open(server, 'b', 'Bob'));
      a.socket.receive('collab:peer-left', { noteId: '1', clientIds: [b.session.doc.clientID] });
      expect(a.session.state.get().peers.map((p) => p.name)).toEqual(['Ada']);
    });

    it('a cursor move goes out as an awareness update', async () => {
      const server = new FakeServer('abc');
      server.roles.set('a', 'owner').set('b', 'editor');
      const a = track(open(server, 'a', 'Ada'));
      const b = track(open(server, 'b', 'Bob'));
      a.session.awareness.setLocalStateField('cursor', { anchor: 1, head: 0 });
      a.session.awareness.setLocalStateField('cursor', { anchor: 1, head: 2 });
      await jest.advanceTimersByTimeAsync(60);
      const state = b.session.awareness.getStates().get(a.session.doc.clientID) as { cursor?: unknown };
      expect(state.cursor).toEqual({ anchor: 1, head: 2 });
      // (encodeAwarenessUpdate is what went over the wire)
      expect(encodeAwarenessUpdate(a.session.awareness, [a.session.doc.clientID]).length).toBeGreaterThan(0);
    });
  });

  it('leaves the note when destroyed', () => {
    const server = new FakeServer('');
    server.roles.set('a', 'owner');
    const { session, socket } = open(server, 'a');
    session.destroy();
    expect(socket.joined).toBe(false);
  });
});
