import { createHash } from 'node:crypto';

import { status as GrpcStatus } from '@grpc/grpc-js';
import { EventLog } from '@micronote/events';
import type { notesV1 } from '@micronote/proto';
import type { Clock } from '@micronote/server-data';
import { CLOCK } from '@micronote/server-data';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { NotesRepository } from '../src/notes/notes.repository';
import { rejection, startNotesTestService } from './support/notes-test-service';

/** Tag hierarchy and rename, share links and bulk actions: notes-service on a fresh MariaDB database, through real gRPC. */
describe('notes-service: organising notes (gRPC, real MariaDB)', () => {
  let service: Awaited<ReturnType<typeof startNotesTestService>>;
  let call: typeof service.call;
  let app: INestApplication;
  let dataSource: DataSource;
  let repo: NotesRepository;
  let events: EventLog;
  let clock: Clock & { offsetMs: number };

  const create = (userId: string, title: string, extra: Partial<notesV1.CreateNoteRequest> = {}) =>
    call('createNote', { userId, title, text: `${title} body`, tags: [], isPinned: false, clientId: '', ...extra }) as Promise<notesV1.Note>;
  const get = (userId: string, id: string) => call('getNote', { userId, id }) as Promise<notesV1.Note>;
  const list = (userId: string, extra: Partial<notesV1.ListNotesRequest> = {}) =>
    call('listNotes', { userId, q: '', tag: '', archived: false, trashed: false, limit: 100, cursor: '', ...extra }) as Promise<notesV1.ListNotesResponse>;
  const titles = async (userId: string, extra: Partial<notesV1.ListNotesRequest>) =>
    (await list(userId, extra)).items.map((n) => n.title).sort();
  const rename = (userId: string, from: string, to: string) =>
    call('renameTag', { userId, from, to, clientId: 'tab-r' }) as Promise<notesV1.RenameTagResponse>;
  const bulk = (userId: string, ids: string[], action: string, tags: string[] = []) =>
    call('bulkNotes', { userId, ids, action, tags, clientId: '' }) as Promise<notesV1.BulkNotesResponse>;
  const share = (userId: string, noteId: string, expiresAt?: string) =>
    call('createNoteShare', { userId, noteId, expiresAt, clientId: '' }) as Promise<notesV1.CreatedNoteShare>;
  const shared = (token: string) => call('getSharedNote', { token }) as Promise<notesV1.SharedNote>;
  /** The user's events after `after`, as the services wrote them to the user's stream. */
  const eventsAfter = async (userId: string, after: string) => (await events.replay(userId, after)).events;

  beforeAll(async () => {
    service = await startNotesTestService();
    ({ app, call } = service);
    const { NotesRepository } = await import('../src/notes/notes.repository');
    dataSource = app.get(DataSource);
    repo = app.get(NotesRepository);
    events = app.get(EventLog);
    const real = app.get<Clock>(CLOCK);
    const now = real.now.bind(real);
    clock = Object.assign(real, { offsetMs: 0 });
    clock.now = () => new Date(now().getTime() + clock.offsetMs);
  });

  afterAll(() => service?.close());

  describe('tag hierarchy', () => {
    const USER = '11001';

    beforeAll(async () => {
      await create(USER, 'parent', { tags: ['work'] });
      await create(USER, 'child', { tags: ['Work/Projects'] });
      await create(USER, 'grandchild', { tags: ['work/projects/2026'] });
      await create(USER, 'both', { tags: ['work', 'work/meetings'] });
      await create(USER, 'lookalike', { tags: ['workshop', 'work_', 'worker/x'] });
      await create(USER, 'other', { tags: ['home/work'] });
      const trashed = await create(USER, 'trashed', { tags: ['work/old'] });
      await call('deleteNote', { userId: USER, id: trashed.id, permanent: false, clientId: '' });
    });

    it('lists a tag with its children (once each, case-insensitive), never a tag that only starts alike', async () => {
      expect(await titles(USER, { tag: 'work' })).toEqual(['both', 'child', 'grandchild', 'parent']);
      expect(await titles(USER, { tag: 'WORK/projects' })).toEqual(['child', 'grandchild']);
      expect(await titles(USER, { tag: 'work/projects/2026' })).toEqual(['grandchild']);
      expect(await titles(USER, { tag: 'work/meet' })).toEqual([]);
      // LIKE's wildcards in a tag are literal.
      expect(await titles(USER, { tag: 'work_' })).toEqual(['lookalike']);
      expect(await titles(USER, { tag: 'wor%' })).toEqual([]);
      expect(await titles(USER, { tag: 'work', trashed: true })).toEqual(['trashed']);
      expect(await titles(USER, { tag: 'work', q: 'body' })).toEqual(['both', 'child', 'grandchild', 'parent']);
    });

    it('pages a tag filter with a cursor, no note twice', async () => {
      const first = await list(USER, { tag: 'work', limit: 3 });
      const second = await list(USER, { tag: 'work', limit: 3, cursor: first.nextCursor });
      const ids = [...first.items, ...second.items].map((n) => n.id);
      expect(ids).toHaveLength(4);
      expect(new Set(ids).size).toBe(4);
      expect(second.nextCursor).toBeUndefined();
    });

    it('counts each exact tag (the client sums the tree)', async () => {
      const counts = (await call('listTags', { userId: USER })).items as notesV1.TagCount[];
      expect(counts).toEqual(
        expect.arrayContaining([
          { tag: 'work', count: 2 },
          { tag: 'Work/Projects', count: 1 },
          { tag: 'work/projects/2026', count: 1 },
          { tag: 'work/meetings', count: 1 },
        ]),
      );
      expect(counts.map((c) => c.tag)).not.toContain('work/old');
    });

    it('refuses empty levels, a leading or trailing `/` and more than 5 levels', async () => {
      for (const tag of ['/a', 'a/', 'a//b', 'a/ /b', 'a/b/c/d/e/f']) {
        expect(await rejection(create(USER, 'bad', { tags: [tag] }))).toMatchObject({
          code: GrpcStatus.INVALID_ARGUMENT,
          domainCode: 'VALIDATION_FAILED',
        });
      }
      expect((await create(USER, 'deep', { tags: [' a / b /c/d/e '] })).tags).toEqual(['a/b/c/d/e']);
    });

    it('reads the tag filter through the tags index (a prefix range), not a scan of the notes', async () => {
      // A user with many notes, few of them under the tag (on a near-empty table any plan is a scan).
      const MANY = '11002';
      const imported = Array.from({ length: 1_500 }, (_, i) => ({
        id: `plan-${i}`,
        title: `filler ${i}`,
        text: '',
        tags: i % 100 === 0 ? ['work/plan'] : i % 2 ? ['other'] : [],
        isPinned: false,
        isArchived: false,
        version: 1,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      }));
      await call('importNotes', { userId: MANY, notes: imported });
      await dataSource.query('ANALYZE TABLE notes, note_tags');
      expect(await titles(MANY, { tag: 'work' })).toHaveLength(15);
      const { sql, params } = repo.listSql({ userId: MANY, state: 0, tag: 'work', limit: 21 });
      const plan = (await dataSource.query(`EXPLAIN ${sql}`, params)) as { table: string; key: string | null; type: string }[];
      // The tag's rows: one range of (user_id, tag); their notes by primary key. (The optimizer may
      // materialise the semi-join's matches, `<subquery2>`, and sort those: never all the notes.)
      const tags = plan.filter((row) => row.table === 't');
      const notes = plan.filter((row) => row.table === 'n');
      expect(tags).toEqual([expect.objectContaining({ key: 'ix_note_tags_user_tag', type: 'range' })]);
      expect(notes).toEqual([expect.objectContaining({ key: 'PRIMARY', type: 'eq_ref' })]);
    });
  });

  describe('tag rename', () => {
    it('renames a tag and its children on every note (trash included), one version and one event per note, then TAGS_RENAMED', async () => {
      const USER = '12001';
      const a = await create(USER, 'a', { tags: ['Work', 'home'] });
      const b = await create(USER, 'b', { tags: ['work/projects/2026', 'x'] });
      const c = await create(USER, 'c', { tags: ['workshop'] });
      const t = await create(USER, 't', { tags: ['work/old'] });
      await call('deleteNote', { userId: USER, id: t.id, permanent: false, clientId: '' });
      const trashedVersion = (await get(USER, t.id)).version;
      const mark = await events.lastId(USER);

      expect(await rename(USER, 'work', 'job')).toEqual({ notes: 3 });
      expect(await get(USER, a.id)).toMatchObject({ tags: ['job', 'home'], version: 2 });
      expect(await get(USER, b.id)).toMatchObject({ tags: ['job/projects/2026', 'x'], version: 2 });
      expect(await get(USER, c.id)).toMatchObject({ tags: ['workshop'], version: 1 });
      const trashed = await get(USER, t.id);
      expect(trashed).toMatchObject({ tags: ['job/old'], version: trashedVersion + 1 });
      expect(trashed.deletedAt).toEqual(expect.any(String));

      const after = await eventsAfter(USER, mark);
      expect(after.map((e) => [e.type, 'noteId' in e ? e.noteId : undefined])).toEqual([
        ['NOTE_UPDATED', a.id],
        ['NOTE_UPDATED', b.id],
        ['NOTE_UPDATED', t.id],
        ['TAGS_RENAMED', undefined],
      ]);
      expect(after[3]).toMatchObject({ from: 'work', to: 'job', userId: USER, clientId: 'tab-r' });
      expect(await titles(USER, { tag: 'work' })).toEqual([]);
      expect(await titles(USER, { tag: 'job' })).toEqual(['a', 'b']);
    });

    it('merges into an existing tag: no duplicate tag on a note, tag rows stay unique', async () => {
      const USER = '12002';
      const both = await create(USER, 'both', { tags: ['old', 'new', 'old/sub', 'New/Sub'] });
      const only = await create(USER, 'only', { tags: ['old/sub'] });
      expect(await rename(USER, 'old', 'new')).toEqual({ notes: 2 });
      expect(await get(USER, both.id)).toMatchObject({ tags: ['new', 'new/sub'], version: 2 });
      expect(await get(USER, only.id)).toMatchObject({ tags: ['new/sub'], version: 2 });
      const rows = await dataSource.query('SELECT tag FROM note_tags WHERE note_id = ? ORDER BY tag', [both.id]);
      expect(rows.map((r: { tag: string }) => r.tag)).toEqual(['new', 'new/sub']);
      expect((await call('listTags', { userId: USER })).items).toEqual([
        { tag: 'new/sub', count: 2 },
        { tag: 'new', count: 1 },
      ]);
    });

    it('renames into a deeper path and a case-only rename; refuses the same name, a bad target and a too-long result', async () => {
      const USER = '12003';
      const note = await create(USER, 'n', { tags: ['ideas/later'] });
      expect(await rename(USER, 'ideas', 'Ideas')).toEqual({ notes: 1 });
      expect((await get(USER, note.id)).tags).toEqual(['Ideas/later']);
      expect(await rename(USER, 'ideas', 'archive/ideas')).toEqual({ notes: 1 });
      expect((await get(USER, note.id)).tags).toEqual(['archive/ideas/later']);

      for (const [from, to] of [
        ['archive', 'archive'],
        ['archive', 'a//b'],
        ['archive', '/x'],
        ['archive', 'x'.repeat(31)],
        ['', 'x'],
        // archive/ideas/later → 1/2/3/4/ideas/later: 6 levels
        ['archive', '1/2/3/4'],
        // archive/ideas/later → 26 characters + /ideas/later: over 30
        ['archive', 'y'.repeat(26)],
      ]) {
        expect(await rejection(rename(USER, from, to))).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, domainCode: 'VALIDATION_FAILED' });
      }
      expect((await get(USER, note.id)).tags).toEqual(['archive/ideas/later']);
    });

    it('answers 0 notes for a tag nobody has, and sends no event', async () => {
      const USER = '12004';
      await create(USER, 'n', { tags: ['kept'] });
      const mark = await events.lastId(USER);
      expect(await rename(USER, 'missing', 'x')).toEqual({ notes: 0 });
      expect(await rename('12005', 'kept', 'x')).toEqual({ notes: 0 });
      expect(await eventsAfter(USER, mark)).toEqual([]);
    });

    it('loses no concurrent edit: a note edited between read and write is renamed again on its new version', async () => {
      const USER = '12006';
      const note = await create(USER, 'n', { tags: ['from'] });
      const { NotesService } = await import('../src/notes/notes.service');
      const notes = app.get(NotesService);
      const realGet = notes.get.bind(notes);
      let raced = false;
      const spy = jest.spyOn(notes, 'get').mockImplementation(async (userId, id) => {
        const read = await realGet(userId, id);
        if (!raced) {
          raced = true;
          // Another tab adds a tag after the rename has read the note.
          await notes.update({ userId, id, tags: { tags: ['from', 'added'] }, clientId: 'other' });
        }
        return read;
      });
      try {
        expect(await rename(USER, 'from', 'to')).toEqual({ notes: 1 });
      } finally {
        spy.mockRestore();
      }
      expect(await get(USER, note.id)).toMatchObject({ tags: ['to', 'added'], version: 3 });
    });
  });

  describe('share links', () => {
    const USER = '13001';
    const OTHER = '13002';

    it('makes a link whose token shows the current note, stores only its hash, lists without the token', async () => {
      const note = await create(USER, 'Shared', { text: 'v1' });
      const created = await share(USER, note.id);
      expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(created.share).toMatchObject({ id: expect.stringMatching(/^\d+$/), noteId: note.id, createdAt: expect.any(String) });
      expect(created.share?.expiresAt).toBeUndefined();

      expect(await shared(created.token)).toEqual({ title: 'Shared', text: 'v1', updatedAt: note.updatedAt });
      const edited = await call('updateNote', { userId: USER, id: note.id, text: 'v2', clientId: '' });
      expect(await shared(created.token)).toEqual({ title: 'Shared', text: 'v2', updatedAt: edited.updatedAt });

      const rows = await dataSource.query('SELECT * FROM note_shares WHERE note_id = ?', [note.id]);
      expect(rows).toHaveLength(1);
      const stored = JSON.stringify(rows, (_key, value) => (value?.type === 'Buffer' ? Buffer.from(value.data).toString('hex') : value));
      expect(stored).not.toContain(created.token);
      expect(stored).not.toContain(Buffer.from(created.token).toString('hex'));
      expect(Buffer.from(rows[0].token_hash)).toEqual(createHash('sha256').update(created.token).digest());

      const listed = await call('listNoteShares', { userId: USER, noteId: note.id });
      expect(listed.items).toEqual([created.share]);
      expect(JSON.stringify(listed)).not.toContain(created.token);
    });

    it('expires a link, and refuses an expiry in the past or malformed', async () => {
      const note = await create(USER, 'Expiring');
      const expiresAt = new Date(Date.now() + 60 * 60 * 1000).toISOString();
      const created = await share(USER, note.id, expiresAt);
      expect(created.share?.expiresAt).toBe(expiresAt);
      expect((await shared(created.token)).title).toBe('Expiring');
      clock.offsetMs = 2 * 60 * 60 * 1000;
      try {
        expect(await rejection(shared(created.token))).toMatchObject({ code: GrpcStatus.NOT_FOUND, domainCode: 'SHARE_NOT_FOUND' });
        expect((await call('listNoteShares', { userId: USER, noteId: note.id })).items).toEqual([]);
      } finally {
        clock.offsetMs = 0;
      }
      for (const bad of [new Date(Date.now() - 1000).toISOString(), 'tomorrow', '2026-13-45T00:00:00Z', '10000-01-01T00:00:00Z']) {
        expect(await rejection(share(USER, note.id, bad))).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
      }
    });

    it('revokes a link (404 after, and for a second revoke), with NOTE_SHARED on create and revoke', async () => {
      const note = await create(USER, 'Revoked');
      const mark = await events.lastId(USER);
      const created = await share(USER, note.id);
      const shareId = created.share?.id as string;
      await call('deleteNoteShare', { userId: USER, noteId: note.id, shareId, clientId: '' });
      expect(await rejection(shared(created.token))).toMatchObject({ code: GrpcStatus.NOT_FOUND });
      expect(await rejection(call('deleteNoteShare', { userId: USER, noteId: note.id, shareId, clientId: '' }))).toMatchObject({
        code: GrpcStatus.NOT_FOUND,
        domainCode: 'SHARE_NOT_FOUND',
      });
      expect((await eventsAfter(USER, mark)).map((e) => [e.type, 'noteId' in e && e.noteId])).toEqual([
        ['NOTE_SHARED', note.id],
        ['NOTE_SHARED', note.id],
      ]);
    });

    it('hides a trashed note (back after restore) and forgets the links of a note deleted for good', async () => {
      const note = await create(USER, 'Trashable');
      const { token } = await share(USER, note.id);
      await call('deleteNote', { userId: USER, id: note.id, permanent: false, clientId: '' });
      expect(await rejection(shared(token))).toMatchObject({ code: GrpcStatus.NOT_FOUND });
      expect(await rejection(share(USER, note.id))).toMatchObject({ domainCode: 'NOTE_IN_TRASH' });
      await call('restoreNote', { userId: USER, id: note.id, clientId: '' });
      expect((await shared(token)).title).toBe('Trashable');
      await call('deleteNote', { userId: USER, id: note.id, permanent: true, clientId: '' });
      expect(await rejection(shared(token))).toMatchObject({ code: GrpcStatus.NOT_FOUND });
      expect(await dataSource.query('SELECT id FROM note_shares WHERE note_id = ?', [note.id])).toEqual([]);
    });

    it("goes with the account: deleting a user's notes deletes their links", async () => {
      const USER_GONE = '13003';
      const note = await create(USER_GONE, 'Leaving');
      const { token } = await share(USER_GONE, note.id);
      await call('deleteUserNotes', { userId: USER_GONE });
      expect(await rejection(shared(token))).toMatchObject({ code: GrpcStatus.NOT_FOUND });
      expect(await dataSource.query('SELECT id FROM note_shares WHERE user_id = ?', [USER_GONE])).toEqual([]);
    });

    it('keeps at most 20 active links per note (expired ones do not count)', async () => {
      const note = await create(USER, 'Popular');
      await share(USER, note.id, new Date(Date.now() + 1000).toISOString());
      for (let i = 0; i < 19; i++) await share(USER, note.id);
      clock.offsetMs = 5_000;
      try {
        const last = await share(USER, note.id);
        expect(await rejection(share(USER, note.id))).toMatchObject({ code: GrpcStatus.PERMISSION_DENIED, domainCode: 'QUOTA_EXCEEDED' });
        await call('deleteNoteShare', { userId: USER, noteId: note.id, shareId: last.share?.id as string, clientId: '' });
        await share(USER, note.id);
      } finally {
        clock.offsetMs = 0;
      }
      expect((await call('listNoteShares', { userId: USER, noteId: note.id })).items).toHaveLength(20);
    });

    it("answers NOT_FOUND for another user's note and unknown or malformed tokens", async () => {
      const note = await create(USER, 'Mine');
      const { share: mine } = await share(USER, note.id);
      for (const attempt of [
        share(OTHER, note.id),
        call('listNoteShares', { userId: OTHER, noteId: note.id }),
        call('deleteNoteShare', { userId: OTHER, noteId: note.id, shareId: mine?.id as string, clientId: '' }),
      ]) {
        expect(await rejection(attempt)).toMatchObject({ code: GrpcStatus.NOT_FOUND, domainCode: 'NOTE_NOT_FOUND' });
      }
      const otherNote = await create(OTHER, 'Theirs');
      // A share id of another note (of another user) is not this note's.
      expect(
        await rejection(call('deleteNoteShare', { userId: OTHER, noteId: otherNote.id, shareId: mine?.id as string, clientId: '' })),
      ).toMatchObject({ domainCode: 'SHARE_NOT_FOUND' });
      for (const token of ['', 'short', 'A'.repeat(43), '!'.repeat(43), 'A'.repeat(44)])
        expect(await rejection(shared(token))).toMatchObject({ code: GrpcStatus.NOT_FOUND, domainCode: 'SHARE_NOT_FOUND' });
    });
  });

  describe('bulk actions', () => {
    const USER = '14001';

    it('runs each id on its own, in order: 404 for missing or foreign ids, events for each change', async () => {
      const a = await create(USER, 'a');
      const b = await create(USER, 'b');
      const foreign = await create('14002', 'foreign');
      const mark = await events.lastId(USER);
      const result = await bulk(USER, [b.id, '999999999', foreign.id, a.id], 'pin');
      expect(result.items).toEqual([
        { id: b.id, grpcCode: GrpcStatus.OK, code: '' },
        { id: '999999999', grpcCode: GrpcStatus.NOT_FOUND, code: 'NOTE_NOT_FOUND' },
        { id: foreign.id, grpcCode: GrpcStatus.NOT_FOUND, code: 'NOTE_NOT_FOUND' },
        { id: a.id, grpcCode: GrpcStatus.OK, code: '' },
      ]);
      expect((await get(USER, a.id)).isPinned).toBe(true);
      expect((await get('14002', foreign.id)).isPinned).toBe(false);
      expect((await eventsAfter(USER, mark)).map((e) => [e.type, 'noteId' in e && e.noteId])).toEqual([
        ['NOTE_UPDATED', b.id],
        ['NOTE_UPDATED', a.id],
      ]);
      // Pinning again changes nothing (and is still OK).
      expect((await bulk(USER, [a.id], 'pin')).items[0].grpcCode).toBe(GrpcStatus.OK);
      expect((await get(USER, a.id)).version).toBe(2);
    });

    it('archives, trashes (then a PATCH-like action on it fails on its own), restores and deletes for good', async () => {
      const a = await create(USER, 'x1');
      const b = await create(USER, 'x2');
      expect((await bulk(USER, [a.id, b.id], 'archive')).items.map((i) => i.grpcCode)).toEqual([0, 0]);
      expect((await get(USER, a.id)).isArchived).toBe(true);
      expect((await bulk(USER, [a.id, b.id], 'unarchive')).items.map((i) => i.grpcCode)).toEqual([0, 0]);
      expect((await bulk(USER, [a.id], 'trash')).items[0].grpcCode).toBe(0);
      expect((await get(USER, a.id)).deletedAt).toEqual(expect.any(String));
      expect((await bulk(USER, [a.id, b.id], 'addTags', ['t'])).items).toEqual([
        { id: a.id, grpcCode: GrpcStatus.FAILED_PRECONDITION, code: 'NOTE_IN_TRASH' },
        { id: b.id, grpcCode: 0, code: '' },
      ]);
      expect((await bulk(USER, [a.id, b.id], 'pin')).items[0]).toMatchObject({ code: 'NOTE_IN_TRASH' });
      expect((await bulk(USER, [a.id], 'restore')).items[0].grpcCode).toBe(0);
      expect((await get(USER, a.id)).deletedAt).toBeUndefined();
      expect((await bulk(USER, [a.id, b.id], 'delete')).items.map((i) => i.grpcCode)).toEqual([0, 0]);
      expect(await rejection(get(USER, a.id))).toMatchObject({ code: GrpcStatus.NOT_FOUND });
      expect((await bulk(USER, [a.id], 'delete')).items[0]).toEqual({ id: a.id, grpcCode: GrpcStatus.NOT_FOUND, code: 'NOTE_NOT_FOUND' });
    });

    it('adds and removes tags (merged case-insensitively; a 21st tag fails that note only)', async () => {
      const a = await create(USER, 't1', { tags: ['Keep', 'drop/me'] });
      const full = await create(USER, 't2', { tags: Array.from({ length: 20 }, (_, i) => `t${i}`) });
      const result = await bulk(USER, [a.id, full.id], 'addTags', ['keep', 'new/one']);
      expect(result.items).toEqual([
        { id: a.id, grpcCode: 0, code: '' },
        { id: full.id, grpcCode: GrpcStatus.INVALID_ARGUMENT, code: 'VALIDATION_FAILED' },
      ]);
      expect(await get(USER, a.id)).toMatchObject({ tags: ['Keep', 'drop/me', 'new/one'], version: 2 });
      expect((await bulk(USER, [a.id, full.id], 'removeTags', ['DROP/me', 't0'])).items.map((i) => i.grpcCode)).toEqual([0, 0]);
      expect((await get(USER, a.id)).tags).toEqual(['Keep', 'new/one']);
      expect((await get(USER, full.id)).tags).toHaveLength(19);
    });

    it('takes 500 ids in one call, refuses 501, duplicates, bad ids, unknown actions and missing or stray tags', async () => {
      const BIG = '14003';
      const ids: string[] = [];
      for (let i = 0; i < 500; i++) ids.push((await create(BIG, `n${i}`)).id);
      const started = Date.now();
      const result = await bulk(BIG, ids, 'archive');
      const elapsed = Date.now() - started;
      expect(result.items.map((i) => i.id)).toEqual(ids);
      expect(result.items.every((i) => i.grpcCode === 0)).toBe(true);
      expect((await list(BIG)).items).toEqual([]);
      // On this 2-core test machine: well inside the gateway's bulk deadline (GRPC_BULK_DEADLINE_MS, 120 s).
      expect(elapsed).toBeLessThan(60_000);

      for (const [badIds, action, tags] of [
        [[...ids, '1'], 'pin', []],
        [[], 'pin', []],
        [[ids[0], ids[0]], 'pin', []],
        [['abc'], 'pin', []],
        [[ids[0]], 'explode', []],
        [[ids[0]], 'addTags', []],
        [[ids[0]], 'removeTags', ['']],
        [[ids[0]], 'pin', ['t']],
        [[ids[0]], 'addTags', ['a//b']],
      ] as [string[], string, string[]][]) {
        expect(await rejection(bulk(BIG, badIds, action, tags))).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, domainCode: 'VALIDATION_FAILED' });
      }
      // 1,000 writes: more than the default 30 s when the 2-core machine is busy with a build.
    }, 120_000);
  });
});
