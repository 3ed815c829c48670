import type { CollabRelayMessage } from './collab-relay';
import { decodeCollabMessage, encodeCollabMessage } from './collab-relay';

const bytes = (...values: number[]) => new Uint8Array(values);
const roundTrip = (message: CollabRelayMessage) => decodeCollabMessage(encodeCollabMessage(message));

describe('collab relay encoding', () => {
  it('carries every kind unchanged, binary bytes and non-ASCII origins included', () => {
    const messages: CollabRelayMessage[] = [
      { kind: 'update', seq: 4_000_000_000, update: bytes(0, 255, 10, 13, 0, 128), origin: 'socket-ä😀' },
      { kind: 'update', seq: 0, update: bytes(), origin: '' },
      { kind: 'awareness', update: bytes(1, 2, 3, 0, 0), origin: 'abc' },
      { kind: 'left', clientIds: [0, 1, 4_294_967_295, 123_456_789], origin: 'x' },
      { kind: 'left', clientIds: [], origin: 'y' },
    ];
    for (const message of messages) expect(roundTrip(message)).toEqual(message);
  });

  it('answers plain Uint8Arrays that own their bytes', () => {
    const wire = encodeCollabMessage({ kind: 'awareness', update: bytes(7, 8), origin: 'o' });
    const message = decodeCollabMessage(wire);
    wire.fill(0);
    expect(message).toEqual({ kind: 'awareness', update: bytes(7, 8), origin: 'o' });
    expect(Buffer.isBuffer((message as { update: Uint8Array }).update)).toBe(false);
  });

  it('answers null for bytes that are not a message', () => {
    expect(decodeCollabMessage(Buffer.from([]))).toBeNull();
    expect(decodeCollabMessage(Buffer.from([1, 0]))).toBeNull();
    expect(decodeCollabMessage(Buffer.from([9, 0, 0]))).toBeNull();
    expect(decodeCollabMessage(Buffer.from([1, 0, 5, 65]))).toBeNull();
    expect(decodeCollabMessage(Buffer.from([1, 0, 0, 0, 0]))).toBeNull();
    expect(decodeCollabMessage(Buffer.from([3, 0, 0, 1, 2, 3]))).toBeNull();
    expect(decodeCollabMessage(Buffer.from('{"kind":"update"}'))).toBeNull();
  });
});
