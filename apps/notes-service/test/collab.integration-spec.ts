import { status as GrpcStatus } from '@grpc/grpc-js';
import { COLLAB_LIMITS, COLLAB_TEXT } from '@micronote/contracts';
import type { CollabRelayMessage } from '@micronote/events';
import { CollabRelay } from '@micronote/events';
import type { notesV1 } from '@micronote/proto';
import type { Clock } from '@micronote/server-data';
import { CLOCK } from '@micronote/server-data';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';

import { collabApplyBatch } from '../src/collab/collab.metrics';
import { CollabRepository } from '../src/collab/collab.repository';
import { CollabService } from '../src/collab/collab.service';
import { CollabCheckpointer } from '../src/collab/collab-checkpointer';
import { NoteAccess } from '../src/notes/note-access';
import { NotesRepository } from '../src/notes/notes.repository';
import { rejection, startNotesTestService } from './support/notes-test-service';

/** Live collaboration over gRPC on real MariaDB and Redis: documents, updates, relay, checkpoints, compaction. */
describe('notes-service live collaboration (gRPC, real MariaDB and Redis)', () => {
  let service: Awaited<ReturnType<typeof startNotesTestService>>;
  let call: typeof service.call;
  let app: INestApplication;
  let dataSource: DataSource;
  let relay: CollabRelay;
  let clock: Clock & { offsetMs: number };
  let nextUser = 7000;
  const newUser = () => String(nextUser++);

  const create = (userId: string, text: string) =>
    call('createNote', { userId, title: 'Live', text, tags: [], isPinned: false, clientId: '' }) as Promise<notesV1.Note>;
  const get = (userId: string, id: string) => call('getNote', { userId, id }) as Promise<notesV1.Note>;
  const join = (userId: string, noteId: string, stateVector: Uint8Array = new Uint8Array()) =>
    call('joinNoteSession', { userId, noteId, stateVector }) as Promise<notesV1.JoinNoteSessionResponse>;
  const apply = (userId: string, noteId: string, update: Uint8Array, origin = 'test') =>
    call('applyNoteUpdate', { userId, noteId, update, origin }) as Promise<notesV1.ApplyNoteUpdateResponse>;
  const revisionCount = async (noteId: string) =>
    Number((await dataSource.query('SELECT COUNT(*) AS n FROM note_revisions WHERE note_id = ?', [noteId]))[0].n);
  const docRow = async (noteId: string) =>
    (await dataSource.query('SELECT snapshot_seq, seq, dirty FROM note_docs WHERE note_id = ?', [noteId]))[0] as
      | { snapshot_seq: number; seq: number; dirty: number }
      | undefined;
  const updateRows = async (noteId: string) =>
    Number((await dataSource.query('SELECT COUNT(*) AS n FROM note_doc_updates WHERE note_id = ?', [noteId]))[0].n);

  /** A client: a Y.Doc that joined the note (its updates are collected, to send). */
  const client = async (userId: string, noteId: string) => {
    const doc = new Y.Doc();
    const joined = await join(userId, noteId, Y.encodeStateVector(doc));
    Y.applyUpdate(doc, joined.update);
    const outbox: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') outbox.push(update);
    });
    const text = doc.getText(COLLAB_TEXT);
    return {
      doc,
      text,
      joined,
      outbox,
      receive: (update: Uint8Array) => Y.applyUpdate(doc, update, 'remote'),
      /** Joins again with its state vector (the catch-up a reconnect does), then sends what the server lacks. */
      sync: async () => {
        const answer = await join(userId, noteId, Y.encodeStateVector(doc));
        Y.applyUpdate(doc, answer.update, 'remote');
        const missing = Y.encodeStateAsUpdate(doc, answer.stateVector);
        if (missing.length > 2) await apply(userId, noteId, missing);
      },
    };
  };

  /** The relay messages of a note until `stop()`. */
  const listen = (noteId: string) => {
    const messages: CollabRelayMessage[] = [];
    const stop = relay.subscribe(noteId, (message) => messages.push(message));
    return { messages, stop };
  };
  const until = async (check: () => boolean, ms = 3_000) => {
    const end = Date.now() + ms;
    while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
    return check();
  };
  const subscribed = () => new Promise((resolve) => setTimeout(resolve, 200));

  beforeAll(async () => {
    service = await startNotesTestService();
    ({ app, call } = service);
    dataSource = app.get(DataSource);
    relay = app.get(CollabRelay);
    const real = app.get<Clock>(CLOCK);
    const now = real.now.bind(real);
    clock = Object.assign(real, { offsetMs: 0 });
    clock.now = () => new Date(now().getTime() + clock.offsetMs);
  });

  afterAll(() => service?.close());

  it('join makes the document from the note text (once), answers the owner role and seq 0', async () => {
    const user = newUser();
    const note = await create(user, 'Hello 😀 world');
    expect(await docRow(note.id)).toBeUndefined();
    const first = await join(user, note.id);
    expect(first).toMatchObject({ role: 'owner', seq: 0 });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, first.update);
    expect(doc.getText(COLLAB_TEXT).toString()).toBe('Hello 😀 world');
    const again = await join(user, note.id, Y.encodeStateVector(doc));
    expect(Buffer.from(again.stateVector)).toEqual(Buffer.from(first.stateVector));
    expect(await docRow(note.id)).toMatchObject({ seq: 0, snapshot_seq: 0, dirty: 0 });
  });

  it('two clients applying interleaved updates converge, and the note text is the document text', async () => {
    const user = newUser();
    const note = await create(user, 'abc');
    const relayed = listen(note.id);
    await subscribed();
    const a = await client(user, note.id);
    const b = await client(user, note.id);
    // 200 edits each, at the same position, sent interleaved; each side only gets the other's after sending its own.
    for (let i = 0; i < 200; i++) {
      a.text.insert(1, i % 7 === 0 ? '😀' : 'a');
      b.text.insert(1, 'b');
      if (i % 5 === 4) b.text.delete(0, 1);
      const fromA = a.outbox.splice(0);
      const fromB = b.outbox.splice(0);
      for (const update of fromA) await apply(user, note.id, update, 'A');
      for (const update of fromB) await apply(user, note.id, update, 'B');
      fromA.forEach(b.receive);
      fromB.forEach(a.receive);
    }
    expect(a.text.toString()).toBe(b.text.toString());
    const stored = await get(user, note.id);
    expect(stored.text).toBe(a.text.toString());
    expect(stored.version).toBe(note.version); // live edits make no version until the checkpoint
    const late = await client(user, note.id);
    expect(late.text.toString()).toBe(a.text.toString());
    expect(await until(() => relayed.messages.length >= 440)).toBe(true);
    const updates = relayed.messages.filter((m): m is Extract<CollabRelayMessage, { kind: 'update' }> => m.kind === 'update');
    expect(updates.map((m) => m.seq)).toEqual(updates.map((_, i) => i + 1));
    expect(new Set(updates.map((m) => m.origin))).toEqual(new Set(['A', 'B']));
    relayed.stop();
    // 440 applies one after another, each a transaction: seconds on a quiet machine, more on a busy CI runner.
  }, 120_000);

  it('updates of one note sent at once share transactions, each with its own seq, ack and relay in order; a refused one fails alone', async () => {
    const owner = newUser();
    const viewer = newUser();
    const note = await create(owner, 'batch');
    await call('inviteNoteMember', { userId: owner, noteId: note.id, memberId: viewer, role: 'viewer', clientId: '' });
    await call('acceptNoteInvitation', { userId: viewer, noteId: note.id, clientId: '' });
    const relayed = listen(note.id);
    await subscribed();
    const batches = async () => {
      const values = (await collabApplyBatch().get()).values;
      const of = (name: string) => values.find((v) => v.metricName === name)?.value ?? 0;
      return { transactions: of('collab_apply_batch_updates_count'), updates: of('collab_apply_batch_updates_sum') };
    };
    const before = await batches();
    // 8 editors (tabs of the owner) type 25 keystrokes each, every one sending its next only after its ack (as the
    // gateway does per socket), all at once; a viewer's update and garbage arrive among them.
    const editors = await Promise.all(Array.from({ length: 8 }, () => client(owner, note.id)));
    const v = await client(viewer, note.id);
    v.text.insert(0, 'viewer ');
    const acked: { editor: number; seq: number; update: Uint8Array }[] = [];
    const refused = Promise.all([
      rejection(apply(viewer, note.id, v.outbox.splice(0)[0], 'V')),
      rejection(apply(owner, note.id, new Uint8Array([1, 2, 3, 250, 255, 7]), 'G')),
    ]);
    await Promise.all(
      editors.map(async (c, i) => {
        for (let k = 0; k < 25; k++) {
          c.text.insert(k % 2 === 0 ? 0 : c.text.length, String.fromCharCode(97 + i));
          const update = c.outbox.splice(0)[0];
          acked.push({ editor: i, seq: (await apply(owner, note.id, update, `e${i}`)).seq, update });
        }
      }),
    );
    const [viewerRefusal, garbageRefusal] = await refused;
    expect(viewerRefusal).toMatchObject({ code: GrpcStatus.PERMISSION_DENIED, domainCode: 'INSUFFICIENT_ROLE' });
    expect(garbageRefusal).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, domainCode: 'COLLAB_INVALID' });
    // Every update its own seq, 1..200, increasing per editor.
    expect(acked.map((a) => a.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    for (let i = 0; i < editors.length; i++) {
      const mine = acked.filter((a) => a.editor === i).map((a) => a.seq);
      expect(mine).toEqual([...mine].sort((x, y) => x - y));
    }
    // Relayed once each, in seq order, with its own origin and bytes.
    expect(await until(() => relayed.messages.length >= 200)).toBe(true);
    const updates = relayed.messages.filter((m): m is Extract<CollabRelayMessage, { kind: 'update' }> => m.kind === 'update');
    expect(updates.map((m) => m.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const bySeq = new Map(acked.map((a) => [a.seq, a]));
    for (const m of updates) {
      expect(m.origin).toBe(`e${bySeq.get(m.seq)?.editor}`);
      expect(Buffer.from(m.update)).toEqual(Buffer.from(bySeq.get(m.seq)?.update ?? []));
    }
    relayed.stop();
    // Stored as sent: a late joiner and the note text have every keystroke, nothing of the viewer's.
    for (const c of editors) for (const m of updates) c.receive(m.update);
    const text = editors[0].text.toString();
    expect(editors.every((c) => c.text.toString() === text)).toBe(true);
    expect(text.length).toBe('batch'.length + 200);
    expect((await client(owner, note.id)).text.toString()).toBe(text);
    expect((await get(owner, note.id)).text).toBe(text);
    expect(await docRow(note.id)).toMatchObject({ seq: 200 });
    // Fewer transactions than updates: they were stored in batches (other tests' stray applies add one to each).
    const after = await batches();
    expect(after.updates - before.updates).toBeGreaterThanOrEqual(200);
    expect(after.transactions - before.transactions).toBeLessThan(after.updates - before.updates);
  });

  it('does not store an update whose call deadline passed while it waited (DEADLINE_EXCEEDED); the next sync brings it', async () => {
    const owner = newUser();
    const note = await create(owner, 'late');
    const collab = app.get(CollabService);
    const a = await client(owner, note.id);
    a.text.insert(0, 'kept ');
    const kept = a.outbox.splice(0)[0];
    a.text.insert(0, 'given up ');
    const abandoned = a.outbox.splice(0)[0];
    const request = (update: Uint8Array) => ({ userId: owner, noteId: note.id, update, origin: 'A' });
    // One already past its deadline; one whose deadline passes while it waits behind the first's transaction.
    const [late, first, queued] = await Promise.allSettled([
      collab.apply(request(abandoned), Date.now() - 1),
      collab.apply(request(kept)),
      collab.apply(request(abandoned), Date.now()),
    ]);
    expect(late).toMatchObject({ status: 'rejected', reason: { code: 'COLLAB_DEADLINE' } });
    expect(first).toMatchObject({ status: 'fulfilled', value: { seq: 1, stored: true } });
    expect(queued).toMatchObject({ status: 'rejected', reason: { code: 'COLLAB_DEADLINE' } });
    expect((await get(owner, note.id)).text).toBe('kept late');
    // The client still holds the change: sent again (its next sync), it is stored.
    expect(await apply(owner, note.id, abandoned, 'A')).toMatchObject({ seq: 2, stored: true });
    expect((await get(owner, note.id)).text).toBe('given up kept late');
  });

  it('refuses strangers (NOT_FOUND), trashed notes, non-Yjs bytes and oversized updates, storing nothing', async () => {
    const owner = newUser();
    const stranger = newUser();
    const note = await create(owner, 'private');
    const c = await client(owner, note.id);
    c.text.insert(0, 'x');
    const update = c.outbox.splice(0)[0];
    expect((await rejection(join(stranger, note.id))).code).toBe(GrpcStatus.NOT_FOUND);
    expect((await rejection(apply(stranger, note.id, update))).code).toBe(GrpcStatus.NOT_FOUND);
    expect((await rejection(join(owner, '999999999'))).code).toBe(GrpcStatus.NOT_FOUND);
    expect((await rejection(join(owner, 'nope'))).code).toBe(GrpcStatus.NOT_FOUND);
    expect(await rejection(apply(owner, note.id, new Uint8Array([1, 2, 3, 250, 255, 7])))).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      domainCode: 'COLLAB_INVALID',
    });
    expect(await rejection(apply(owner, note.id, new Uint8Array()))).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    expect(await rejection(apply(owner, note.id, new Uint8Array(COLLAB_LIMITS.updateBytes + 1)))).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      domainCode: 'COLLAB_TOO_LARGE',
    });
    expect(await rejection(join(owner, note.id, new Uint8Array([200])))).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    expect(await updateRows(note.id)).toBe(0);
    // An update that depends on one the server never got: refused, the document unchanged.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(c.doc));
    const later: Uint8Array[] = [];
    other.on('update', (u: Uint8Array) => later.push(u));
    other.getText(COLLAB_TEXT).insert(0, 'y');
    other.getText(COLLAB_TEXT).insert(0, 'z');
    expect((await rejection(apply(owner, note.id, later[1]))).code).toBe(GrpcStatus.INVALID_ARGUMENT);
    // The same update twice: stored once, the second answers the current seq.
    expect((await apply(owner, note.id, update)).seq).toBe(1);
    expect((await apply(owner, note.id, update)).seq).toBe(1);
    expect((await get(owner, note.id)).text).toBe('xprivate');
    await call('deleteNote', { userId: owner, id: note.id, permanent: false, clientId: '' });
    expect((await rejection(join(owner, note.id))).code).toBe(GrpcStatus.NOT_FOUND);
    expect((await rejection(apply(owner, note.id, update))).code).toBe(GrpcStatus.NOT_FOUND);
  });

  it('follows the role: an accepted editor edits, a viewer is refused, a pending invitee and a removed member are strangers', async () => {
    const owner = newUser();
    const editor = newUser();
    const viewer = newUser();
    const note = await create(owner, 'team');
    const invite = (memberId: string, role: string) =>
      call('inviteNoteMember', { userId: owner, noteId: note.id, memberId, role, clientId: '' });
    const accept = (userId: string) => call('acceptNoteInvitation', { userId, noteId: note.id, clientId: '' });
    await invite(editor, 'editor');
    await invite(viewer, 'viewer');
    // Invited, not accepted yet: nothing to see.
    expect((await rejection(join(editor, note.id))).code).toBe(GrpcStatus.NOT_FOUND);
    await accept(editor);
    await accept(viewer);
    const e = await client(editor, note.id);
    const v = await client(viewer, note.id);
    expect([e.joined.role, v.joined.role]).toEqual(['editor', 'viewer']);
    e.text.insert(4, ' edit');
    expect((await apply(editor, note.id, e.outbox.splice(0)[0])).seq).toBe(1);
    v.text.insert(0, 'no ');
    expect(await rejection(apply(viewer, note.id, v.outbox.splice(0)[0]))).toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
      domainCode: 'INSUFFICIENT_ROLE',
    });
    expect((await get(owner, note.id)).text).toBe('team edit');
    await call('removeNoteMember', { userId: owner, noteId: note.id, memberId: editor, clientId: '' });
    e.text.insert(0, 'gone ');
    expect((await rejection(apply(editor, note.id, e.outbox.splice(0)[0]))).code).toBe(GrpcStatus.NOT_FOUND);
    expect((await rejection(join(editor, note.id))).code).toBe(GrpcStatus.NOT_FOUND);
    expect(await updateRows(note.id)).toBe(1);
  });

  it('two service instances with separate caches applying to the same note stay consistent', async () => {
    const user = newUser();
    const note = await create(user, 'shared start');
    const one = app.get(CollabService);
    const two = new CollabService(app.get(CollabRepository), app.get(NotesRepository), app.get(NoteAccess), relay, app.get<Clock>(CLOCK));
    const instances = [one, two];
    const clients = [await client(user, note.id), await client(user, note.id)];
    let n = 0;
    for (let round = 0; round < 60; round++) {
      for (const [i, c] of clients.entries()) {
        c.text.insert(Math.floor(c.text.length / 2), `${i}`);
        // Each client's updates go through both instances in turn (two replicas behind a load balancer).
        for (const update of c.outbox.splice(0)) await instances[n++ % 2].apply({ userId: user, noteId: note.id, update, origin: `c${i}` });
      }
    }
    // The updates in parallel too, from both instances at once.
    const burst = clients.flatMap((c, i) => {
      c.text.insert(0, `p${i}`);
      return c.outbox.splice(0).map((update, k) => ({ update, k, i }));
    });
    await Promise.all(burst.map(({ update, k, i }) => instances[(k + i) % 2].apply({ userId: user, noteId: note.id, update, origin: '' })));
    for (const c of clients) await c.sync();
    expect(clients[0].text.toString()).toBe(clients[1].text.toString());
    const viaOne = await one.join({ userId: user, noteId: note.id, stateVector: new Uint8Array() });
    const viaTwo = await two.join({ userId: user, noteId: note.id, stateVector: new Uint8Array() });
    const textOf = (update: Uint8Array) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, update);
      return doc.getText(COLLAB_TEXT).toString();
    };
    expect(textOf(viaOne.update)).toBe(clients[0].text.toString());
    expect(textOf(viaTwo.update)).toBe(clients[0].text.toString());
    expect(viaOne.seq).toBe(viaTwo.seq);
    expect((await get(user, note.id)).text).toBe(clients[0].text.toString());
  });

  it('a REST PATCH of a live note merges into the document (stale version or not) and is relayed', async () => {
    const user = newUser();
    const note = await create(user, 'line one\nline two');
    const live = await client(user, note.id);
    live.text.insert(live.text.length, '\nlive line');
    for (const update of live.outbox.splice(0)) await apply(user, note.id, update);
    const relayed = listen(note.id);
    await subscribed();
    // The REST client still holds version 1 (without the live line) and edits line one.
    const patched = (await call('updateNote', {
      userId: user,
      id: note.id,
      version: note.version,
      text: 'line ONE\nline two',
      clientId: 'rest',
    })) as notesV1.Note;
    expect(patched.text).toBe('line ONE\nline two\nlive line');
    expect(await until(() => relayed.messages.some((m) => m.kind === 'update'))).toBe(true);
    const message = relayed.messages.find((m) => m.kind === 'update') as Extract<CollabRelayMessage, { kind: 'update' }>;
    expect(message.origin).toBe('');
    live.receive(message.update);
    expect(live.text.toString()).toBe(patched.text);
    // Overlapping edits of the same line: merged by character, never refused.
    live.text.insert(0, '# ');
    for (const update of live.outbox.splice(0)) await apply(user, note.id, update);
    const overlapping = (await call('updateNote', {
      userId: user,
      id: note.id,
      baseVersion: patched.version,
      text: 'line ONE!\nline two\nlive line',
      clientId: 'rest',
    })) as notesV1.Note;
    expect(overlapping.text).toBe('# line ONE!\nline two\nlive line');
    // A checklist tick of a live note lands in the document as well.
    const ticked = await client(user, note.id);
    expect(ticked.text.toString()).toBe(overlapping.text);
    expect(await docRow(note.id)).toMatchObject({ dirty: 0 });
    relayed.stop();
  });

  it('the checkpoint makes exactly one version and revision after the edits go idle', async () => {
    const user = newUser();
    const note = await create(user, 'draft');
    const live = await client(user, note.id);
    const checkpointer = app.get(CollabCheckpointer);
    for (let i = 0; i < 20; i++) {
      live.text.insert(live.text.length, '.');
      for (const update of live.outbox.splice(0)) await apply(user, note.id, update);
    }
    const before = await revisionCount(note.id);
    expect(await docRow(note.id)).toMatchObject({ dirty: 1 });
    // Not idle yet: nothing (unless the background pass already ran after 5 s, which this test does not wait for).
    await checkpointer.checkpointDue();
    expect(await revisionCount(note.id)).toBe(before);
    clock.offsetMs = COLLAB_LIMITS.checkpointIdleMs + 1_000;
    try {
      await checkpointer.checkpointDue();
      await checkpointer.checkpointDue();
    } finally {
      clock.offsetMs = 0;
    }
    expect(await revisionCount(note.id)).toBe(before + 1);
    const stored = await get(user, note.id);
    expect(stored).toMatchObject({ version: note.version + 1, text: 'draft....................' });
    expect(await docRow(note.id)).toMatchObject({ dirty: 0 });
    const revision = (await call('getRevision', { userId: user, id: note.id, version: stored.version })) as notesV1.NoteRevision;
    expect(revision.text).toBe(stored.text);
  });

  it('compacts after COLLAB_LIMITS.compactAfterUpdates updates; a late joiner gets the same text', async () => {
    const user = newUser();
    const note = await create(user, '');
    const live = await client(user, note.id);
    const collab = app.get(CollabService);
    for (let i = 0; i < COLLAB_LIMITS.compactAfterUpdates + 10; i++) {
      live.text.insert(i % 3 === 0 ? 0 : live.text.length, String.fromCharCode(97 + (i % 26)));
      for (const update of live.outbox.splice(0)) await collab.apply({ userId: user, noteId: note.id, update, origin: '' });
    }
    const row = await docRow(note.id);
    expect(row).toMatchObject({ snapshot_seq: COLLAB_LIMITS.compactAfterUpdates, seq: COLLAB_LIMITS.compactAfterUpdates + 10 });
    expect(await updateRows(note.id)).toBe(10);
    // A process with an empty cache (a restart) loads snapshot + updates.
    const fresh = new CollabService(app.get(CollabRepository), app.get(NotesRepository), app.get(NoteAccess), relay, app.get<Clock>(CLOCK));
    const joined = await fresh.join({ userId: user, noteId: note.id, stateVector: new Uint8Array() });
    const late = new Y.Doc();
    Y.applyUpdate(late, joined.update);
    expect(late.getText(COLLAB_TEXT).toString()).toBe(live.text.toString());
    expect((await get(user, note.id)).text).toBe(live.text.toString());
  });

  it('storage after 10,000 single-character edits, with compaction', async () => {
    const user = newUser();
    const note = await create(user, '');
    const live = await client(user, note.id);
    const collab = app.get(CollabService);
    const started = Date.now();
    for (let i = 0; i < 10_000; i++) {
      // Typing with a few corrections: mostly appends, every 10th a backspace.
      if (i % 10 === 9) live.text.delete(live.text.length - 1, 1);
      else live.text.insert(live.text.length, String.fromCharCode(97 + (i % 26)));
      for (const update of live.outbox.splice(0)) await collab.apply({ userId: user, noteId: note.id, update, origin: '' });
    }
    const elapsed = Date.now() - started;
    const bytes = await app.get(CollabRepository).storedBytes(note.id);
    const text = (await get(user, note.id)).text;
    expect(text).toBe(live.text.toString());
    console.log(
      `collab storage: ${bytes} bytes in note_docs + note_doc_updates after 10,000 single-character edits ` +
        `(text ${text.length} characters, ${await updateRows(note.id)} update rows after the snapshot; ${(elapsed / 10_000).toFixed(2)} ms per apply)`,
    );
    expect(bytes).toBeLessThan(200_000);
  }, 600_000);
});
