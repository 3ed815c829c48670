import type { CollabRelayHandler, CollabRelayMessage } from '@micronote/events';

import { CollabSessions } from './collab-sessions';

/** A socket.io socket as CollabSessions uses it: handlers by event, what it was sent, its rooms. */
class FakeSocket {
  connected = true;
  readonly received: { event: string; payload: { seq?: number } }[] = [];
  readonly rooms = new Set<string>();
  private readonly handlers = new Map<string, (request: unknown, ack?: (answer: unknown) => void) => void>();

  constructor(
    readonly id: string,
    readonly data: { user: { userId: string } },
  ) {}

  on(event: string, handler: (request: unknown, ack?: (answer: unknown) => void) => void): void {
    this.handlers.set(event, handler);
  }

  emit(event: string, payload: { seq?: number }): void {
    this.received.push({ event, payload });
  }

  join(room: string): void {
    this.rooms.add(room);
  }

  leave(room: string): void {
    this.rooms.delete(room);
  }

  /** The client sends `event` and waits for its ack. */
  send(event: string, request: unknown): Promise<{ ok: boolean; seq?: number }> {
    return new Promise((resolve) => this.handlers.get(event)?.(request, resolve as (answer: unknown) => void));
  }

  updates(): number[] {
    return this.received.filter((r) => r.event === 'collab:update').map((r) => r.payload.seq ?? -1);
  }
}

describe(CollabSessions.name, () => {
  const noteId = '42';
  let sockets: FakeSocket[];
  let relayHandlers: CollabRelayHandler[];
  let answers: { seq: number; stored: boolean }[];
  let sessions: CollabSessions;

  beforeEach(() => {
    sockets = [];
    relayHandlers = [];
    answers = [];
    // The relay loses every message (Redis away, a subscriber reconnecting): nothing comes back from it.
    const relay = {
      subscribe: (_noteId: string, handler: CollabRelayHandler) => {
        relayHandlers.push(handler);
        return () => undefined;
      },
      publish: async () => true,
    };
    const grpc = {
      call: async (_service: unknown, method: string) =>
        method === 'joinNoteSession'
          ? { role: 'editor', update: new Uint8Array(), stateVector: new Uint8Array(), seq: 0 }
          : (answers.shift() ?? { seq: 0, stored: false }),
    };
    sessions = new CollabSessions({ getService: () => ({}) } as never, grpc as never, relay as never);
    sessions.onModuleInit();
    const server = {
      local: {
        to: (room: string) => ({
          except: (except: string | string[]) => ({
            emit: (event: string, payload: { seq?: number }) => {
              const skip = new Set(Array.isArray(except) ? except : [except]);
              for (const socket of sockets) if (socket.rooms.has(room) && !skip.has(socket.id)) socket.emit(event, payload);
            },
          }),
        }),
      },
    };
    sessions.init(server as never);
  });

  const joined = async (id: string) => {
    const socket = new FakeSocket(id, { user: { userId: id } });
    sockets.push(socket);
    sessions.attach(socket as never);
    expect(await socket.send('collab:join', { noteId, stateVector: new Uint8Array() })).toMatchObject({ ok: true });
    return socket;
  };
  const relayed = (message: CollabRelayMessage) => relayHandlers.forEach((handler) => handler(message));

  it("hands an acknowledged update to the note's other sockets even when its relay message is lost, and once when it comes", async () => {
    const [a, b, c] = [await joined('a'), await joined('b'), await joined('c')];
    const update = new Uint8Array([1, 2, 3]);
    answers.push({ seq: 1, stored: true });
    expect(await a.send('collab:update', { noteId, update })).toEqual({ ok: true, seq: 1 });
    expect(b.updates()).toEqual([1]);
    expect(c.updates()).toEqual([1]);
    expect(a.updates()).toEqual([]);
    // The relay's copy of the same update, late: not a second time.
    relayed({ kind: 'update', seq: 1, update, origin: 'a' });
    expect(b.updates()).toEqual([1]);
    // Someone else's update (another gateway, a REST write) comes through the relay as before.
    relayed({ kind: 'update', seq: 2, update, origin: '' });
    expect([a.updates(), b.updates(), c.updates()]).toEqual([[2], [1, 2], [1, 2]]);
  });

  it('an update that changed nothing (acked with the current seq, someone else’s) is not handed on', async () => {
    const [a, b] = [await joined('a'), await joined('b')];
    answers.push({ seq: 7, stored: false });
    expect(await a.send('collab:update', { noteId, update: new Uint8Array([9]) })).toEqual({ ok: true, seq: 7 });
    expect(b.updates()).toEqual([]);
  });
});
