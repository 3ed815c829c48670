import * as Y from 'yjs';

import { docFromText, docText, mergeTexts, serviceDoc, setDocText } from './collab-text';

/** A deterministic pseudo-random generator (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ASCII, a combining accent, CJK, emoji (surrogate pairs), a ZWJ sequence, line breaks.
const ALPHABET = ['a', 'b', ' ', '\n', 'é', 'e\u0301', '字', '😀', '😃', '👩‍💻', '🏳️‍🌈', '-', '[', ']'];

function randomText(next: () => number, maxPieces: number): string {
  let out = '';
  const pieces = Math.floor(next() * maxPieces);
  for (let i = 0; i < pieces; i++) out += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return out;
}

/** `text` changed in a few random places (so the diff has equal runs between edits). */
function edited(next: () => number, text: string): string {
  const points = Array.from(text);
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (points.length + 1));
    const remove = Math.floor(next() * 3);
    points.splice(at, remove, ...Array.from(randomText(next, 4)));
  }
  return points.join('');
}

const lonelySurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('setDocText (a REST text write into the document)', () => {
  it('gives exactly the new text for random strings, emoji and surrogate pairs included, and its update carries it to a replica', () => {
    const next = random(17);
    for (let round = 0; round < 300; round++) {
      const from = randomText(next, 30);
      const doc = docFromText(from);
      const replica = serviceDoc();
      Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
      let text = from;
      for (let step = 0; step < 5; step++) {
        text = next() < 0.2 ? randomText(next, 30) : edited(next, text);
        const update = setDocText(doc, text);
        expect(docText(doc)).toBe(text);
        if (update) Y.applyUpdate(replica, update);
        expect(docText(replica)).toBe(text);
        expect(lonelySurrogate.test(docText(doc))).toBe(false);
      }
    }
  });

  it('answers null and stores nothing when the text is the same', () => {
    const doc = docFromText('same 😀');
    expect(setDocText(doc, 'same 😀')).toBeNull();
  });

  it('edits only what changed: a live editor typing elsewhere keeps their edit', () => {
    const server = docFromText('hello world');
    const client = serviceDoc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    client.getText('text').insert(0, '>> ');
    const rest = setDocText(server, 'hello brave world') as Uint8Array;
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    Y.applyUpdate(client, rest);
    expect(docText(server)).toBe('>> hello brave world');
    expect(docText(client)).toBe('>> hello brave world');
  });

  it('makes the same first document from the same text on every replica', () => {
    expect(Y.encodeStateAsUpdate(docFromText('a 😀 b'))).toEqual(Y.encodeStateAsUpdate(docFromText('a 😀 b')));
  });
});

describe('mergeTexts (a PATCH during live editing)', () => {
  it('keeps both sides of edits on the same line', () => {
    expect(mergeTexts('one two three', 'one 2 three', 'one two 3')).toBe('one 2 3');
  });

  it('keeps both inserts at the same place (deterministically ordered)', () => {
    const merged = mergeTexts('ab', 'aXb', 'aYb');
    expect(['aXYb', 'aYXb']).toContain(merged);
    expect(mergeTexts('ab', 'aXb', 'aYb')).toBe(merged);
  });
});

describe('compaction (snapshot = Y.encodeStateAsUpdate of the document)', () => {
  it('keeps the same state: a document loaded from the snapshot equals one replaying every update', () => {
    const next = random(5);
    const live = docFromText('start');
    const updates: Uint8Array[] = [Y.encodeStateAsUpdate(live)];
    const editor = serviceDoc();
    Y.applyUpdate(editor, updates[0]);
    editor.on('update', (update: Uint8Array) => updates.push(update));
    let text = 'start';
    for (let i = 0; i < 400; i++) {
      text = edited(next, text);
      setDocText(editor, text, 7);
    }
    for (const update of updates.slice(1)) Y.applyUpdate(live, update);
    const snapshot = Y.encodeStateAsUpdate(live);
    const reloaded = serviceDoc();
    Y.applyUpdate(reloaded, snapshot);
    expect(docText(reloaded)).toBe(text);
    expect(Y.encodeStateVector(reloaded)).toEqual(Y.encodeStateVector(live));
    // A client that saw everything gets nothing new from the reloaded document.
    const missing = Y.encodeStateAsUpdate(reloaded, Y.encodeStateVector(editor));
    const check = serviceDoc();
    Y.applyUpdate(check, Y.encodeStateAsUpdate(editor));
    Y.applyUpdate(check, missing);
    expect(docText(check)).toBe(text);
    // Garbage-collected: the snapshot is far smaller than the updates that made it.
    const replayed = updates.reduce((sum, update) => sum + update.byteLength, 0);
    expect(snapshot.byteLength).toBeLessThan(replayed);
  });
});
