import { status as GrpcStatus } from '@grpc/grpc-js';
import type { notesV1 } from '@micronote/proto';
import type { Clock } from '@micronote/server-data';
import { CLOCK } from '@micronote/server-data';
import { subscribeToUserChanges } from '@micronote/server-testing';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { RevisionPurger } from '../src/notes/revision-purger';
import { rejection, startNotesTestService } from './support/notes-test-service';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Checklist ticks, revisions and merging (notes-service over gRPC, real MariaDB). */
describe('notes-service history: ticks, revisions, merges (gRPC, real MariaDB)', () => {
  let service: Awaited<ReturnType<typeof startNotesTestService>>;
  let call: typeof service.call;
  let app: INestApplication;
  let dataSource: DataSource;
  let purger: RevisionPurger;
  let clock: Clock & { offsetMs: number };
  let nextUser = 9000;
  const newUser = () => String(nextUser++);

  const create = (userId: string, text: string, extra: Partial<notesV1.CreateNoteRequest> = {}) =>
    call('createNote', { userId, title: 'Note', text, tags: [], isPinned: false, clientId: '', ...extra }) as Promise<notesV1.Note>;
  const update = (userId: string, id: string, extra: Partial<notesV1.UpdateNoteRequest>) =>
    call('updateNote', { userId, id, clientId: '', ...extra }) as Promise<notesV1.Note>;
  const tick = (userId: string, id: string, index: number, text: string, checked = true, clientId = '') =>
    call('tickTask', { userId, id, index, text, checked, clientId }) as Promise<notesV1.Note>;
  const revisions = async (userId: string, id: string) => {
    const all: notesV1.NoteRevisionSummary[] = [];
    let cursor = '';
    do {
      const page = (await call('listRevisions', { userId, id, cursor, limit: 0 })) as notesV1.ListRevisionsResponse;
      all.push(...page.items);
      cursor = page.nextCursor ?? '';
    } while (cursor);
    return all;
  };
  const versions = async (userId: string, id: string) => (await revisions(userId, id)).map((r) => r.version);
  const at = async <T>(offsetMs: number, work: () => Promise<T>): Promise<T> => {
    clock.offsetMs = offsetMs;
    try {
      return await work();
    } finally {
      clock.offsetMs = 0;
    }
  };
  const revisionRows = async (noteId: string) =>
    Number((await dataSource.query('SELECT COUNT(*) AS n FROM note_revisions WHERE note_id = ?', [noteId]))[0].n);

  beforeAll(async () => {
    service = await startNotesTestService();
    ({ app, call } = service);
    dataSource = app.get(DataSource);
    const { RevisionPurger } = await import('../src/notes/revision-purger');
    purger = app.get(RevisionPurger);
    const real = app.get<Clock>(CLOCK);
    const now = real.now.bind(real);
    clock = Object.assign(real, { offsetMs: 0 });
    clock.now = () => new Date(now().getTime() + clock.offsetMs);
  });

  afterAll(() => service?.close());

  describe('checklist ticks', () => {
    it('ticks the item by its text even when the index is stale (items added above it), as a new version with its revision', async () => {
      const user = newUser();
      const note = await create(user, '- [ ] bread\n- [ ] milk');
      await update(user, note.id, { text: '- [ ] apples\n- [ ] pears\n- [ ] bread\n- [ ] milk' });
      const ticked = await tick(user, note.id, 0, 'bread');
      expect(ticked).toMatchObject({ text: '- [ ] apples\n- [ ] pears\n- [x] bread\n- [ ] milk', version: 3 });
      expect(await versions(user, note.id)).toEqual([3, 2, 1]);
      const unticked = await tick(user, note.id, 2, 'bread', false);
      expect(unticked).toMatchObject({ text: '- [ ] apples\n- [ ] pears\n- [ ] bread\n- [ ] milk', version: 4 });
    });

    it('ticks the repeated item nearest the index', async () => {
      const user = newUser();
      const note = await create(user, '- [ ] water\n- [ ] soap\n- [ ] water\n* [ ] water');
      expect((await tick(user, note.id, 2, 'water')).text).toBe('- [ ] water\n- [ ] soap\n- [x] water\n* [ ] water');
      expect((await tick(user, note.id, 9, 'water')).text).toBe('- [ ] water\n- [ ] soap\n- [x] water\n* [x] water');
    });

    it('answers 409 TASK_NOT_FOUND once the line is deleted, and ignores items inside a fenced code block', async () => {
      const user = newUser();
      const note = await create(user, '- [ ] keep\n- [ ] gone\n```\n- [ ] code\n```');
      await update(user, note.id, { text: '- [ ] keep\n```\n- [ ] code\n```' });
      for (const text of ['gone', 'code'])
        expect(await rejection(tick(user, note.id, 1, text))).toMatchObject({ code: GrpcStatus.ABORTED, domainCode: 'TASK_NOT_FOUND' });
      expect((await call('getNote', { userId: user, id: note.id })).version).toBe(2);
    });

    it('ticking a ticked item changes nothing (no new version, no revision)', async () => {
      const user = newUser();
      const note = await create(user, '- [x] done');
      expect(await tick(user, note.id, 0, 'done')).toEqual(note);
      expect(await versions(user, note.id)).toEqual([1]);
    });

    it('refuses bad input, trashed notes and notes of others', async () => {
      const user = newUser();
      const note = await create(user, '- [ ] a');
      expect(await rejection(tick(user, note.id, -1, 'a'))).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
      expect(await rejection(tick(user, note.id, 0, '  '))).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
      expect(await rejection(tick(newUser(), note.id, 0, 'a'))).toMatchObject({ code: GrpcStatus.NOT_FOUND, domainCode: 'NOTE_NOT_FOUND' });
      await call('deleteNote', { userId: user, id: note.id, permanent: false, clientId: '' });
      expect(await rejection(tick(user, note.id, 0, 'a'))).toMatchObject({
        code: GrpcStatus.FAILED_PRECONDITION,
        domainCode: 'NOTE_IN_TRASH',
      });
    });

    it('a tick and a concurrent edit (with baseVersion) both survive, whichever takes the row lock first', async () => {
      const user = newUser();
      for (let round = 0; round < 5; round++) {
        const note = await create(user, 'intro\n- [ ] one\n- [ ] two\noutro');
        const [edited, ticked] = await Promise.all([
          update(user, note.id, { text: 'INTRO\n- [ ] one\n- [ ] two\noutro', baseVersion: note.version }),
          tick(user, note.id, 1, 'two'),
        ]);
        expect([edited.version, ticked.version].sort()).toEqual([2, 3]);
        const stored = await call('getNote', { userId: user, id: note.id });
        expect(stored).toMatchObject({ text: 'INTRO\n- [ ] one\n- [x] two\noutro', version: 3 });
      }
    });
  });

  describe('revisions', () => {
    it('records every change of title, text or tags (not pins or archiving), newest first, with the client id, in pages', async () => {
      const user = newUser();
      const note = await create(user, 'v1', { clientId: 'tab-a' });
      await update(user, note.id, { title: 'Renamed', clientId: 'tab-b' });
      await update(user, note.id, { isPinned: true, clientId: 'tab-b' });
      await update(user, note.id, { tags: { tags: ['x'] }, clientId: '' });
      await update(user, note.id, { isArchived: true, text: 'v5' });
      const list = await revisions(user, note.id);
      expect(list.map((r) => [r.version, r.title, r.size, r.clientId])).toEqual([
        [5, 'Renamed', 2, undefined],
        [4, 'Renamed', 2, undefined],
        [2, 'Renamed', 2, 'tab-b'],
        [1, 'Note', 2, 'tab-a'],
      ]);
      // A version made by a pin has the state of the revision before it.
      expect(await call('getRevision', { userId: user, id: note.id, version: 3 })).toMatchObject({
        noteId: note.id,
        version: 3,
        title: 'Renamed',
        text: 'v1',
        tags: [],
        clientId: 'tab-b',
      });
      const page = (await call('listRevisions', { userId: user, id: note.id, cursor: '', limit: 3 })) as notesV1.ListRevisionsResponse;
      expect(page.items.map((r) => r.version)).toEqual([5, 4, 2]);
      const rest = (await call('listRevisions', {
        userId: user,
        id: note.id,
        cursor: page.nextCursor ?? '',
        limit: 3,
      })) as notesV1.ListRevisionsResponse;
      expect(rest.items.map((r) => r.version)).toEqual([1]);
      expect(rest.nextCursor).toBeUndefined();
    });

    it('refuses other users, bad cursors and versions it does not have', async () => {
      const user = newUser();
      const note = await create(user, 'text');
      expect(await rejection(call('listRevisions', { userId: newUser(), id: note.id, cursor: '', limit: 0 }))).toMatchObject({
        code: GrpcStatus.NOT_FOUND,
        domainCode: 'NOTE_NOT_FOUND',
      });
      expect(await rejection(call('getRevision', { userId: newUser(), id: note.id, version: 1 }))).toMatchObject({
        code: GrpcStatus.NOT_FOUND,
      });
      expect(await rejection(call('listRevisions', { userId: user, id: note.id, cursor: 'bogus!', limit: 0 }))).toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        domainCode: 'INVALID_CURSOR',
      });
      for (const version of [0, 2, 99])
        expect(await rejection(call('getRevision', { userId: user, id: note.id, version }))).toMatchObject({
          code: GrpcStatus.NOT_FOUND,
          domainCode: 'REVISION_NOT_FOUND',
        });
    });

    it('keeps every version for 24 h, then thins versions of one client within 5 minutes of each other to the last', async () => {
      const user = newUser();
      const note = await at(0, () => create(user, 'v1', { clientId: 'a' }));
      // Client a saves v2..v4 a minute apart, v5 ten minutes later; client b saves v6 a minute after that, a v7 a minute later.
      const saves: [number, string][] = [
        [1, 'a'],
        [2, 'a'],
        [3, 'a'],
        [13, 'a'],
        [14, 'b'],
        [15, 'a'],
      ];
      for (const [i, [minute, clientId]] of saves.entries())
        await at(minute * MINUTE, () => update(user, note.id, { text: `v${i + 2}`, clientId }));
      expect(await at(23 * HOUR, () => purger.purge())).toMatchObject({ thinned: 0 });
      expect(await versions(user, note.id)).toEqual([7, 6, 5, 4, 3, 2, 1]);
      // (other tests' quick saves are thinned too)
      expect((await at(25 * HOUR, () => purger.purge())).thinned).toBeGreaterThanOrEqual(3);
      // v1 (a) → v2..v4 (a, a minute apart): v1, v2, v3 go; v4 (ten minutes before v5) stays; v5, v6 have another client next.
      expect(await versions(user, note.id)).toEqual([7, 6, 5, 4]);
      // A thinned version can no longer be a merge base.
      expect(await rejection(update(user, note.id, { text: 'late', baseVersion: 2 }))).toMatchObject({
        code: GrpcStatus.ABORTED,
        domainCode: 'NOTE_VERSION_CONFLICT',
        details: { current: { version: 7, text: 'v7' } },
      });
      expect(await rejection(call('getRevision', { userId: user, id: note.id, version: 3 }))).toMatchObject({
        domainCode: 'REVISION_NOT_FOUND',
      });
    });

    it('keeps the last 100 or 90 days, whichever is more', async () => {
      const user = newUser();
      // Each save ten minutes apart (never thinned): 130 revisions on "many", 30 on "few", 100 old + 20 recent on "mixed".
      const many = await at(0, () => create(user, 'r1'));
      const few = await at(0, () => create(user, 'r1'));
      const mixed = await at(0, () => create(user, 'r1'));
      for (let i = 2; i <= 130; i++) await at(i * 10 * MINUTE, () => update(user, many.id, { text: `r${i}` }));
      for (let i = 2; i <= 30; i++) await at(i * 10 * MINUTE, () => update(user, few.id, { text: `r${i}` }));
      for (let i = 2; i <= 100; i++) await at(i * 10 * MINUTE, () => update(user, mixed.id, { text: `r${i}` }));
      for (let i = 101; i <= 120; i++) await at(80 * DAY + i * 10 * MINUTE, () => update(user, mixed.id, { text: `r${i}` }));
      expect(await revisionRows(many.id)).toBe(130);
      expect(await at(91 * DAY, () => purger.purge())).toMatchObject({ aged: 30 + 20 });
      const kept = await versions(user, many.id);
      expect(kept).toHaveLength(100);
      expect(kept[99]).toBe(31);
      expect(await versions(user, few.id)).toHaveLength(30);
      const mixedKept = await versions(user, mixed.id);
      expect(mixedKept).toHaveLength(100);
      expect(mixedKept[99]).toBe(21);
      // A write applies the rule to its own note at once.
      await at(91 * DAY, () => update(user, mixed.id, { text: 'r121' }));
      expect(await versions(user, mixed.id)).toHaveLength(100);
    });

    it('restores a revision as a new version (the replaced state stays a revision) with the usual NOTE_UPDATED event', async () => {
      const user = newUser();
      const note = await create(user, 'first text', { tags: ['old'] });
      await update(user, note.id, { title: 'Second', text: 'second text', tags: { tags: ['new'] } });
      const changes = subscribeToUserChanges('notes', { url: `127.0.0.1:${service.env['GRPC_PORT']}`, userId: user });
      await new Promise((r) => setTimeout(r, 200));
      try {
        const restored = (await call('restoreRevision', { userId: user, id: note.id, version: 1, clientId: 'tab-r' })) as notesV1.Note;
        expect(restored).toMatchObject({ title: 'Note', text: 'first text', tags: ['old'], version: 3 });
        const [event] = await changes.until(1);
        expect(event).toMatchObject({ type: 'NOTE_UPDATED', noteId: note.id, clientId: 'tab-r', note: { version: 3, text: 'first text' } });
      } finally {
        changes.close();
      }
      expect((await revisions(user, note.id)).map((r) => [r.version, r.title])).toEqual([
        [3, 'Note'],
        [2, 'Second'],
        [1, 'Note'],
      ]);
      expect((await call('listTags', { userId: user })).items).toEqual([{ tag: 'old', count: 1 }]);
      // Restoring the state it has changes nothing.
      expect(((await call('restoreRevision', { userId: user, id: note.id, version: 3, clientId: '' })) as notesV1.Note).version).toBe(3);
      expect(await rejection(call('restoreRevision', { userId: user, id: note.id, version: 9, clientId: '' }))).toMatchObject({
        code: GrpcStatus.NOT_FOUND,
        domainCode: 'REVISION_NOT_FOUND',
      });
    });

    it('deleting a note for good removes its revisions, and so does deleting the account', async () => {
      const user = newUser();
      const one = await create(user, 'a');
      await update(user, one.id, { text: 'b' });
      const two = await create(user, 'c');
      expect(await revisionRows(one.id)).toBe(2);
      await call('deleteNote', { userId: user, id: one.id, permanent: true, clientId: '' });
      expect(await revisionRows(one.id)).toBe(0);
      await call('deleteUserNotes', { userId: user });
      expect(await revisionRows(two.id)).toBe(0);
    });
  });

  describe('merging a stale edit (baseVersion)', () => {
    const BASE = 'one\ntwo\nthree\nfour\nfive';

    it('merges edits of different lines: 200 with merged, both edits kept', async () => {
      const user = newUser();
      const note = await create(user, BASE);
      await update(user, note.id, { text: 'ONE\ntwo\nthree\nfour\nfive', version: 1 });
      const merged = await update(user, note.id, { text: 'one\ntwo\nthree\nfour\nFIVE', baseVersion: 1, title: 'Mine' });
      expect(merged).toMatchObject({ title: 'Mine', text: 'ONE\ntwo\nthree\nfour\nFIVE', version: 3, merged: true });
      const stored = await call('getNote', { userId: user, id: note.id });
      expect(stored).toMatchObject({ title: 'Mine', text: 'ONE\ntwo\nthree\nfour\nFIVE', version: 3 });
      expect(stored.merged).toBeUndefined();
    });

    it('is a plain update when baseVersion is the stored version', async () => {
      const user = newUser();
      const note = await create(user, BASE);
      const updated = await update(user, note.id, { text: 'x', baseVersion: 1 });
      expect(updated).toMatchObject({ text: 'x', version: 2 });
      expect(updated.merged).toBeUndefined();
    });

    it('answers overlapping edits with MERGE_CONFLICT: current, base and the line ranges (any text)', async () => {
      const user = newUser();
      const note = await create(user, 'café\ntwo\nthree');
      await update(user, note.id, { text: 'café\ntheirs ✓\nthree' });
      const conflict = await rejection(update(user, note.id, { text: 'café\nmine 😀\nmine too\nthree', baseVersion: 1 }));
      expect(conflict).toMatchObject({
        code: GrpcStatus.ABORTED,
        domainCode: 'MERGE_CONFLICT',
        details: {
          current: { id: note.id, version: 2, text: 'café\ntheirs ✓\nthree' },
          base: { id: note.id, version: 1, text: 'café\ntwo\nthree' },
          conflicts: [{ field: 'text', base: { start: 1, end: 2 }, mine: { start: 1, end: 3 }, theirs: { start: 1, end: 2 } }],
        },
      });
      expect((await call('getNote', { userId: user, id: note.id })).version).toBe(2);
    });

    it('reports a title changed differently on both sides', async () => {
      const user = newUser();
      const note = await create(user, BASE);
      await update(user, note.id, { title: 'Theirs' });
      const conflict = await rejection(update(user, note.id, { title: 'Mine', baseVersion: 1 }));
      expect(conflict.details.conflicts).toEqual([
        { field: 'title', base: { start: 0, end: 1 }, mine: { start: 0, end: 1 }, theirs: { start: 0, end: 1 } },
      ]);
    });

    it('merges tags as sets: additions of both sides, removals from either', async () => {
      const user = newUser();
      const note = await create(user, BASE, { tags: ['keep', 'drop-theirs', 'drop-mine'] });
      await update(user, note.id, { tags: { tags: ['keep', 'drop-mine', 'theirs'] } });
      const merged = await update(user, note.id, { tags: { tags: ['keep', 'drop-theirs', 'Mine'] }, baseVersion: 1 });
      expect(merged).toMatchObject({ tags: ['keep', 'theirs', 'Mine'], merged: true });
      expect((await call('listTags', { userId: user })).items.map((t: notesV1.TagCount) => t.tag).sort()).toEqual([
        'Mine',
        'keep',
        'theirs',
      ]);
    });

    it('keeps an edit that does not touch text from undoing the text changed since', async () => {
      const user = newUser();
      const note = await create(user, BASE);
      await update(user, note.id, { text: 'changed elsewhere' });
      expect(await update(user, note.id, { isPinned: true, title: 'T', baseVersion: 1 })).toMatchObject({
        text: 'changed elsewhere',
        title: 'T',
        isPinned: true,
        merged: true,
      });
    });

    it('refuses a base it cannot merge against with NOTE_VERSION_CONFLICT (newer than the note), and version with baseVersion', async () => {
      const user = newUser();
      const note = await create(user, BASE);
      expect(await rejection(update(user, note.id, { text: 'x', baseVersion: 5 }))).toMatchObject({
        code: GrpcStatus.ABORTED,
        domainCode: 'NOTE_VERSION_CONFLICT',
        message: expect.stringContaining('newer'),
        details: { current: { version: 1 } },
      });
      expect(await rejection(update(user, note.id, { text: 'x', baseVersion: 1, version: 1 }))).toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
      });
    });

    it('leaves large notes out of a conflict (the gateway reads them back) instead of failing to send it', async () => {
      const user = newUser();
      const big = Array.from({ length: 2_000 }, (_, i) => `line ${i} with some words é`).join('\n');
      const note = await create(user, big);
      await update(user, note.id, { text: big.replace('line 7 ', 'theirs 7 ') });
      const conflict = await rejection(update(user, note.id, { text: big.replace('line 7 ', 'mine 7 '), baseVersion: 1 }));
      expect(conflict).toMatchObject({
        code: GrpcStatus.ABORTED,
        domainCode: 'MERGE_CONFLICT',
        details: { baseVersion: 1, conflicts: [{ field: 'text', base: { start: 7, end: 8 } }] },
      });
      expect(conflict.details.current).toBeUndefined();
      const stale = await rejection(update(user, note.id, { text: 'x', version: 1 }));
      expect(stale).toMatchObject({ code: GrpcStatus.ABORTED, domainCode: 'NOTE_VERSION_CONFLICT' });
      expect(stale.details.current).toBeUndefined();
    });
  });
});
