import { COLLAB_TEXT } from '@micronote/contracts';
import diff from 'fast-diff';
import * as Y from 'yjs';

/**
 * The client id of the service's own edits (a note's first text, REST text writes). They are made
 * under the note's row lock on a document brought up to date first, so every replica continues
 * the same clock and no two of them ever write the same (client, clock).
 */
export const SERVICE_CLIENT_ID = 0;

/**
 * A document for the service, garbage collection on (deleted text is not kept). Its own client id
 * stays a random one that never writes: the service's edits take SERVICE_CLIENT_ID just for their
 * transaction (Yjs would pick a new id if stored updates of the doc's own id arrived remotely).
 */
export function serviceDoc(): Y.Doc {
  return new Y.Doc();
}

/** Runs a local change of `doc` as `clientId`. */
function as(doc: Y.Doc, clientId: number, change: () => void): void {
  const own = doc.clientID;
  doc.clientID = clientId;
  try {
    doc.transact(change);
  } finally {
    doc.clientID = own;
  }
}

/** A note's first document: its text as one insert by the service (the same bytes on every replica). */
export function docFromText(text: string): Y.Doc {
  const doc = serviceDoc();
  if (text) as(doc, SERVICE_CLIENT_ID, () => doc.getText(COLLAB_TEXT).insert(0, text));
  return doc;
}

export const docText = (doc: Y.Doc): string => doc.getText(COLLAB_TEXT).toString();

/** The update a change of `doc` made (null when nothing changed), as its 'update' event carries it. */
export function capturedUpdate(doc: Y.Doc, change: () => void): Uint8Array | null {
  let update: Uint8Array | null = null;
  const parts: Uint8Array[] = [];
  const listener = (bytes: Uint8Array) => parts.push(bytes);
  doc.on('update', listener);
  try {
    change();
  } finally {
    doc.off('update', listener);
  }
  if (parts.length === 1) update = parts[0];
  else if (parts.length > 1) update = Y.mergeUpdates(parts);
  return update;
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;
/** Whether offset `at` falls between the two halves of a surrogate pair. */
const splitsPair = (s: string, at: number) => at > 0 && at < s.length && isHigh(s.charCodeAt(at - 1)) && isLow(s.charCodeAt(at));

type Edit = { at: number; remove: number; insert: string };

/** The edits (positions in the text as it is while applying them in order) from `from` to `to`. */
function edits(from: string, to: string): Edit[] {
  const out: Edit[] = [];
  let at = 0;
  let atFrom = 0;
  let atTo = 0;
  for (const [op, chunk] of diff(from, to)) {
    if (op === diff.EQUAL) {
      at += chunk.length;
      atFrom += chunk.length;
      atTo += chunk.length;
    } else if (op === diff.DELETE) {
      if (splitsPair(from, atFrom) || splitsPair(from, atFrom + chunk.length)) return prefixSuffix(from, to);
      out.push({ at, remove: chunk.length, insert: '' });
      atFrom += chunk.length;
    } else {
      if (splitsPair(to, atTo) || splitsPair(to, atTo + chunk.length)) return prefixSuffix(from, to);
      out.push({ at, remove: 0, insert: chunk });
      at += chunk.length;
      atTo += chunk.length;
    }
  }
  return out;
}

/** One replace between the common prefix and suffix, never inside a surrogate pair (fast-diff's fallback). */
function prefixSuffix(from: string, to: string): Edit[] {
  let start = 0;
  const shorter = Math.min(from.length, to.length);
  while (start < shorter && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  if (splitsPair(from, start) || splitsPair(to, start)) start--;
  let end = 0;
  while (end < shorter - start && from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)) end++;
  if (splitsPair(from, from.length - end) || splitsPair(to, to.length - end)) end--;
  return [{ at: start, remove: from.length - start - end, insert: to.slice(start, to.length - end) }];
}

/**
 * Makes the document's text `next` by the minimal character diff from its current text (so live
 * editors' cursors and concurrent edits elsewhere in the text survive), in one transaction.
 * Answers the update it made, or null when the text already was `next`.
 */
export function setDocText(doc: Y.Doc, next: string, clientId = SERVICE_CLIENT_ID): Uint8Array | null {
  const text = doc.getText(COLLAB_TEXT);
  const current = text.toString();
  if (current === next) return null;
  return capturedUpdate(doc, () =>
    as(doc, clientId, () => {
      for (const edit of edits(current, next)) {
        if (edit.remove > 0) text.delete(edit.at, edit.remove);
        if (edit.insert) text.insert(edit.at, edit.insert);
      }
    }),
  );
}

/**
 * A three-way merge of plain texts through Yjs (never a conflict): `theirs` and `mine` are each
 * applied as character edits to a document holding `base` (different clients), then merged.
 * Edits at the same place keep both (Yjs orders them by client id: deterministic).
 */
export function mergeTexts(base: string, mine: string, theirs: string): string {
  const root = docFromText(base);
  const start = Y.encodeStateAsUpdate(root);
  const fork = (clientId: number, text: string) => {
    const doc = serviceDoc();
    Y.applyUpdate(doc, start);
    setDocText(doc, text, clientId);
    return doc;
  };
  const merged = fork(1, theirs);
  Y.applyUpdate(merged, Y.encodeStateAsUpdate(fork(2, mine)));
  return docText(merged);
}

/** Whether the document holds updates it could not integrate yet (their dependencies are missing). */
export const hasPending = (doc: Y.Doc): boolean => doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
