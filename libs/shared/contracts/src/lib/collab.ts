/**
 * Live collaboration on a note's text over the realtime socket.io connection (no second
 * WebSocket server). The text is a Yjs document (one `Y.Text` named `COLLAB_TEXT`); updates and
 * awareness (presence, cursors) travel as Yjs' own binary encodings (Uint8Array on the wire).
 *
 * Sync: `collab:join` sends the client's state vector and answers what the client misses plus the
 * server's state vector; the client then sends what the server misses as one `collab:update`
 * (its offline edits). Each stored update gets the note's next `seq`; a client that sees a gap in
 * `seq` joins again (a lost relay message costs a re-sync, never text).
 */
import type { AccessRole } from './sharing';

/** The name of the shared `Y.Text` in every note's document. */
export const COLLAB_TEXT = 'text';

export const CollabRefusal = {
  /** Not a note of yours, not shared with you (or gone, or in the trash). */
  NotFound: 'NOT_FOUND',
  /** A viewer sent an update: dropped. */
  Forbidden: 'FORBIDDEN',
  /** collab:update/awareness for a note this socket has not joined. */
  NotJoined: 'NOT_JOINED',
  /** The note already has COLLAB_LIMITS.editorsPerNote sockets in its session. */
  Full: 'SESSION_FULL',
  /** One update over COLLAB_LIMITS.updateBytes, or the text would pass the note's limit. */
  TooLarge: 'TOO_LARGE',
  /** Not a Yjs update. */
  Invalid: 'INVALID',
  Unavailable: 'UNAVAILABLE',
  RateLimited: 'RATE_LIMITED',
} as const;
export type CollabRefusal = (typeof CollabRefusal)[keyof typeof CollabRefusal];

export type CollabAck<T extends object = object> = ({ ok: true } & T) | { ok: false; code: CollabRefusal; message: string };

export interface CollabJoinRequest {
  noteId: string;
  /** Y.encodeStateVector of the client's document (empty: it has nothing yet). */
  stateVector: Uint8Array;
}

export interface CollabJoined {
  role: AccessRole;
  /** Y.encodeStateAsUpdate(serverDoc, client's state vector). */
  update: Uint8Array;
  /** The server document's state vector: send what it lacks. */
  stateVector: Uint8Array;
  /** The seq of the newest stored update (updates relayed after it come with seq + 1, …). */
  seq: number;
}

export interface CollabUpdateRequest {
  noteId: string;
  update: Uint8Array;
}

export interface CollabAwarenessRequest {
  noteId: string;
  /** y-protocols/awareness encodeAwarenessUpdate for this client's own clientID. */
  update: Uint8Array;
}

/** A stored update relayed to every other socket in the note. */
export interface CollabUpdateNotice {
  noteId: string;
  update: Uint8Array;
  seq: number;
}

export interface CollabAwarenessNotice {
  noteId: string;
  update: Uint8Array;
}

/** Someone joined: every client answers with its full awareness state (collab:awareness). */
export interface CollabPeerJoined {
  noteId: string;
}

/** A socket left (or disconnected): remove these awareness client ids. */
export interface CollabPeerLeft {
  noteId: string;
  clientIds: number[];
}

/** The server ended this socket's session in the note. */
export interface CollabClosed {
  noteId: string;
  reason: 'removed' | 'deleted' | 'trashed';
}

/** The caller's role changed (an editor made viewer stops sending updates). */
export interface CollabRoleChanged {
  noteId: string;
  role: AccessRole;
}

/** client → server events (each with an ack callback where typed). */
export interface CollabClientToServerEvents {
  'collab:join': (request: CollabJoinRequest, ack: (answer: CollabAck<CollabJoined>) => void) => void;
  'collab:update': (request: CollabUpdateRequest, ack: (answer: CollabAck<{ seq: number }>) => void) => void;
  'collab:awareness': (request: CollabAwarenessRequest) => void;
  'collab:leave': (request: { noteId: string }) => void;
}

/** server → client events. */
export interface CollabServerToClientEvents {
  'collab:update': (notice: CollabUpdateNotice) => void;
  'collab:awareness': (notice: CollabAwarenessNotice) => void;
  'collab:peer-joined': (notice: CollabPeerJoined) => void;
  'collab:peer-left': (notice: CollabPeerLeft) => void;
  'collab:closed': (notice: CollabClosed) => void;
  'collab:role': (notice: CollabRoleChanged) => void;
}

/** What a note's live session allows. */
export const COLLAB_LIMITS = {
  /** Sockets in one note's session at once (every role). */
  editorsPerNote: 50,
  /** One update's bytes. */
  updateBytes: 256 * 1024,
  /** Updates kept after the snapshot before notes-service compacts them into a new snapshot. */
  compactAfterUpdates: 500,
  /** Live text becomes a new version (and revision) this long after the last update… */
  checkpointIdleMs: 5_000,
  /** …or at least this often while editing goes on. */
  checkpointMaxMs: 30_000,
} as const;
