import { status as GrpcStatus } from '@grpc/grpc-js';
import { EventLog } from '@micronote/events';
import type { notesV1 } from '@micronote/proto';
import { callMetadata, callUnary, collectStream } from '@micronote/server-core';
import type { Clock } from '@micronote/server-data';
import { CLOCK } from '@micronote/server-data';
import { subscribeToUserChanges, testIdentity } from '@micronote/server-testing';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { NotesRepository } from '../src/notes/notes.repository';
import { rejection, startNotesTestService } from './support/notes-test-service';

/** notes-service on a fresh MariaDB database, called through real gRPC. */
describe('notes-service (gRPC, real MariaDB)', () => {
  let service: Awaited<ReturnType<typeof startNotesTestService>>;
  let call: typeof service.call;
  let app: INestApplication;
  let client: typeof service.client;
  let dataSource: DataSource;
  let repo: NotesRepository;
  let clock: Clock & { offsetMs: number };
  const ALICE = '1001';
  const BOB = '1002';

  const create = (userId: string, title: string, extra: Partial<notesV1.CreateNoteRequest> = {}) =>
    call('createNote', {
      userId,
      title,
      text: `${title} body`,
      tags: [],
      isPinned: false,
      clientId: '',
      ...extra,
    }) as Promise<notesV1.Note>;
  const list = (userId: string, extra: Partial<notesV1.ListNotesRequest> = {}) =>
    call('listNotes', {
      userId,
      q: '',
      tag: '',
      archived: false,
      trashed: false,
      limit: 0,
      cursor: '',
      ...extra,
    }) as Promise<notesV1.ListNotesResponse>;

  beforeAll(async () => {
    service = await startNotesTestService();
    ({ app, client, call } = service);
    const { NotesRepository } = await import('../src/notes/notes.repository');
    dataSource = app.get(DataSource);
    repo = app.get(NotesRepository);
    // The service's clock, moved forward by tests that need time to pass.
    const real = app.get<Clock>(CLOCK);
    const now = real.now.bind(real);
    clock = Object.assign(real, { offsetMs: 0 });
    clock.now = () => new Date(now().getTime() + clock.offsetMs);
  });

  afterAll(() => service?.close());

  it('creates a note with trimmed, de-duplicated tags and version 1', async () => {
    const note = await create(ALICE, 'Groceries', { text: 'milk, eggs', tags: [' food ', 'Food', 'home', ''], isPinned: true });
    expect(note).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      title: 'Groceries',
      text: 'milk, eggs',
      tags: ['food', 'home'],
      isPinned: true,
      isArchived: false,
      version: 1,
    });
    expect(note.deletedAt).toBeUndefined();
    expect(await call('getNote', { userId: ALICE, id: note.id })).toEqual(note);
  });

  it('creates once per Idempotency-Key: a repeated create returns the first note (with or without tags)', async () => {
    const first = await create(ALICE, 'Once', { idempotencyKey: 'key-once-1' });
    const again = await create(ALICE, 'Once', { idempotencyKey: 'key-once-1' });
    expect(again).toEqual(first);
    const tagged = await create(ALICE, 'Tagged once', { tags: ['a', 'b'], idempotencyKey: 'key-once-2' });
    expect(await create(ALICE, 'Tagged once', { tags: ['a', 'b'], idempotencyKey: 'key-once-2' })).toEqual(tagged);
    // The same key of another user is another request.
    const bobs = await create(BOB, 'Once', { idempotencyKey: 'key-once-1' });
    expect(bobs.id).not.toBe(first.id);
    const titles = (await list(ALICE)).items.map((n) => n.title);
    expect(titles.filter((t) => t === 'Once')).toHaveLength(1);
    expect(titles.filter((t) => t === 'Tagged once')).toHaveLength(1);
    expect((await call('listTags', { userId: ALICE })).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ tag: 'a', count: 1 }), expect.objectContaining({ tag: 'b', count: 1 })]),
    );
  });

  it('refuses bad input with INVALID_ARGUMENT', async () => {
    for (const request of [
      { title: '' },
      { title: '   ' },
      { title: 't'.repeat(101) },
      { text: 'x'.repeat(100_001) },
      { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      { tags: ['x'.repeat(31)] },
    ]) {
      const error = await rejection(create(ALICE, 'ok', request));
      expect(error).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, domainCode: 'VALIDATION_FAILED' });
    }
  });

  it("keeps every user's notes their own: NOT_FOUND for every verb", async () => {
    const note = await create(ALICE, 'Private');
    for (const attempt of [
      call('getNote', { userId: BOB, id: note.id }),
      call('updateNote', { userId: BOB, id: note.id, title: 'mine now', clientId: '' }),
      call('deleteNote', { userId: BOB, id: note.id, permanent: false, clientId: '' }),
      call('deleteNote', { userId: BOB, id: note.id, permanent: true, clientId: '' }),
      call('restoreNote', { userId: BOB, id: note.id, clientId: '' }),
    ]) {
      expect(await rejection(attempt)).toMatchObject({ code: GrpcStatus.NOT_FOUND, domainCode: 'NOTE_NOT_FOUND' });
    }
    expect((await call('getNote', { userId: ALICE, id: note.id })).title).toBe('Private');
  });

  it("answers only a caller with the gateway's identity for the request's user", async () => {
    const note = await create(ALICE, 'Private');
    const asked = { userId: ALICE, id: note.id };
    const refusal = (identity?: string) => rejection(callUnary(client.service, 'getNote', asked, { deadlineMs: 10_000, identity }));
    expect(await refusal()).toMatchObject({ code: GrpcStatus.UNAUTHENTICATED, domainCode: 'SERVICE_IDENTITY_INVALID' });
    expect(await refusal(testIdentity('notes-service', BOB))).toMatchObject({ code: GrpcStatus.UNAUTHENTICATED });
    expect(await refusal(testIdentity('todos-service', ALICE))).toMatchObject({ code: GrpcStatus.UNAUTHENTICATED });
    expect(await refusal(testIdentity('notes-service', ALICE, 'auth-service'))).toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
      domainCode: 'SERVICE_CALLER_DENIED',
    });
    expect(await refusal(testIdentity('notes-service', undefined, 'user-service'))).toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
  });

  it('updates partially, bumps the version on change only, and refuses a stale version with the current note', async () => {
    const note = await create(ALICE, 'Draft', { tags: ['a'] });
    const same = await call('updateNote', { userId: ALICE, id: note.id, title: 'Draft', clientId: '' });
    expect(same.version).toBe(1);
    const edited = await call('updateNote', { userId: ALICE, id: note.id, text: 'tab one', version: 1, clientId: '' });
    expect(edited).toMatchObject({ title: 'Draft', text: 'tab one', tags: ['a'], version: 2 });

    const stale = await rejection(call('updateNote', { userId: ALICE, id: note.id, text: 'tab two', version: 1, clientId: '' }));
    expect(stale).toMatchObject({
      code: GrpcStatus.ABORTED,
      domainCode: 'NOTE_VERSION_CONFLICT',
      details: { current: { id: note.id, text: 'tab one', version: 2 } },
    });
    // The proto NoteVersionConflict: no REST nulls (the gateway makes it REST).
    expect(stale.details?.['current']).not.toHaveProperty('deletedAt');
    expect((await call('getNote', { userId: ALICE, id: note.id })).text).toBe('tab one');

    const retagged = await call('updateNote', {
      userId: ALICE,
      id: note.id,
      tags: { tags: ['b', 'B', 'c'] },
      isPinned: true,
      isArchived: true,
      clientId: '',
    });
    expect(retagged).toMatchObject({ tags: ['b', 'c'], isPinned: true, isArchived: true, version: 3 });
  });

  it('serialises concurrent edits of one version: exactly one wins', async () => {
    const note = await create(ALICE, 'Race');
    const results = await Promise.allSettled(
      ['one', 'two', 'three'].map((text) => call('updateNote', { userId: ALICE, id: note.id, text, version: 1, clientId: '' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await call('getNote', { userId: ALICE, id: note.id })).version).toBe(2);
  });

  it('trashes (still readable), restores, and deletes for good', async () => {
    const note = await create(ALICE, 'Disposable');
    await call('deleteNote', { userId: ALICE, id: note.id, permanent: false, clientId: '' });
    const trashed = await call('getNote', { userId: ALICE, id: note.id });
    expect(trashed.deletedAt).toEqual(expect.any(String));
    expect((await list(ALICE)).items.map((n) => n.id)).not.toContain(note.id);
    expect((await list(ALICE, { trashed: true })).items.map((n) => n.id)).toContain(note.id);
    expect((await rejection(call('updateNote', { userId: ALICE, id: note.id, title: 'x', clientId: '' }))).domainCode).toBe(
      'NOTE_IN_TRASH',
    );

    const restored = await call('restoreNote', { userId: ALICE, id: note.id, clientId: '' });
    expect(restored.deletedAt).toBeUndefined();
    expect((await list(ALICE)).items.map((n) => n.id)).toContain(note.id);

    await call('deleteNote', { userId: ALICE, id: note.id, permanent: true, clientId: '' });
    expect((await rejection(call('getNote', { userId: ALICE, id: note.id }))).code).toBe(GrpcStatus.NOT_FOUND);
    expect((await rejection(call('deleteNote', { userId: ALICE, id: note.id, permanent: true, clientId: '' }))).code).toBe(
      GrpcStatus.NOT_FOUND,
    );
  });

  it('purges notes trashed more than 30 days ago, and only those', async () => {
    const { TrashPurger } = await import('../src/notes/trash-purger');
    const old = await create(ALICE, 'Old trash');
    const recent = await create(ALICE, 'Recent trash');
    await call('deleteNote', { userId: ALICE, id: old.id, permanent: false, clientId: '' });
    clock.offsetMs = 20 * 24 * 3600 * 1000;
    await call('deleteNote', { userId: ALICE, id: recent.id, permanent: false, clientId: '' });
    clock.offsetMs = 31 * 24 * 3600 * 1000;
    try {
      await app.get(TrashPurger).purge();
    } finally {
      clock.offsetMs = 0;
    }
    expect((await rejection(call('getNote', { userId: ALICE, id: old.id }))).code).toBe(GrpcStatus.NOT_FOUND);
    expect((await call('getNote', { userId: ALICE, id: recent.id })).deletedAt).toEqual(expect.any(String));
  });

  describe('listing', () => {
    const USER = '2001';
    let ids: string[];

    beforeAll(async () => {
      ids = [];
      for (let i = 0; i < 25; i++)
        ids.push((await create(USER, `Note ${i}`, { tags: i % 2 ? ['odd'] : ['even'], isPinned: i % 10 === 0 })).id);
      await call('updateNote', { userId: USER, id: ids[3], isArchived: true, clientId: '' });
    });

    it('pages through pinned first, then newest, with no gap and no repeat', async () => {
      const seen: notesV1.Note[] = [];
      let cursor = '';
      do {
        const page = await list(USER, { limit: 7, cursor });
        seen.push(...page.items);
        cursor = page.nextCursor ?? '';
      } while (cursor);
      expect(seen).toHaveLength(24);
      expect(new Set(seen.map((n) => n.id)).size).toBe(24);
      const pinned = seen.filter((n) => n.isPinned).map((n) => n.title);
      expect(pinned).toEqual(['Note 20', 'Note 10', 'Note 0']);
      expect(seen.slice(0, 3).every((n) => n.isPinned)).toBe(true);
      const rest = seen.slice(3);
      expect(rest.map((n) => n.updatedAt)).toEqual([...rest.map((n) => n.updatedAt)].sort().reverse());
    });

    it('filters by archived, pinned and tag (case-insensitive)', async () => {
      expect((await list(USER, { archived: true })).items.map((n) => n.id)).toEqual([ids[3]]);
      expect((await list(USER, { pinned: true })).items).toHaveLength(3);
      const odd = await list(USER, { tag: 'ODD', limit: 100 });
      expect(odd.items).toHaveLength(11);
      expect(odd.items.every((n) => n.tags.includes('odd'))).toBe(true);
    });

    it('counts tags outside the trash, and reports stats', async () => {
      expect((await call('listTags', { userId: USER })).items).toEqual([
        { tag: 'even', count: 13 },
        { tag: 'odd', count: 12 },
      ]);
      expect(await call('getNoteStats', { userId: USER })).toEqual({ total: 25, pinned: 3, archived: 1, trashed: 0, tags: 2 });
    });

    it('refuses a tampered or foreign cursor, and a bad limit', async () => {
      for (const cursor of [
        'garbage!',
        Buffer.from('["s",1,"2"]').toString('base64url'),
        Buffer.from('["l",true,"yesterday","1"]').toString('base64url'),
        'x'.repeat(600),
      ]) {
        expect(await rejection(list(USER, { cursor }))).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, domainCode: 'INVALID_CURSOR' });
      }
      expect((await rejection(list(USER, { limit: 101 }))).code).toBe(GrpcStatus.INVALID_ARGUMENT);
    });
  });

  describe('search', () => {
    const USER = '3001';
    beforeAll(async () => {
      await create(USER, 'Trip to Lisbon', { text: 'pastel de nata and the trams of Lisbon' });
      await create(USER, 'Work', { text: 'quarterly planning, Lisbon offsite maybe' });
      await create(USER, 'Recipes', { text: 'bread and soup' });
      await create('3002', 'Not yours', { text: 'Lisbon Lisbon Lisbon' });
    });

    it('finds words in title and text, most relevant first, only in your notes', async () => {
      const result = await list(USER, { q: 'lisbon' });
      expect(result.items.map((n) => n.title)).toEqual(['Trip to Lisbon', 'Work']);
      expect((await list(USER, { q: 'nata' })).items.map((n) => n.title)).toEqual(['Trip to Lisbon']);
      expect((await list(USER, { q: 'zanzibar' })).items).toEqual([]);
    });

    it('pages search results with a cursor', async () => {
      const first = await list(USER, { q: 'lisbon', limit: 1 });
      expect(first.nextCursor).toBeDefined();
      const second = await list(USER, { q: 'lisbon', limit: 1, cursor: first.nextCursor });
      expect([...first.items, ...second.items].map((n) => n.title)).toEqual(['Trip to Lisbon', 'Work']);
      expect(second.nextCursor).toBeUndefined();
    });
  });

  it('sees its own write in the next list at once (the cache is invalidated before the answer)', async () => {
    const USER = '4001';
    expect((await list(USER)).items).toHaveLength(0);
    const note = await create(USER, 'Fresh');
    expect((await list(USER)).items.map((n) => n.id)).toEqual([note.id]);
    await call('updateNote', { userId: USER, id: note.id, title: 'Fresher', clientId: '' });
    expect((await list(USER)).items[0].title).toBe('Fresher');
    await call('deleteNote', { userId: USER, id: note.id, permanent: false, clientId: '' });
    expect((await list(USER)).items).toHaveLength(0);
  });

  it('exports everything and imports it idempotently', async () => {
    const FROM = '5001';
    const TO = '5002';
    await create(FROM, 'One', { tags: ['x'] });
    const two = await create(FROM, 'Two', { isPinned: true });
    await call('deleteNote', { userId: FROM, id: two.id, permanent: false, clientId: '' });
    const exported = await collectStream(
      client.service,
      'exportNotes',
      { userId: FROM },
      { deadlineMs: 10_000, identity: testIdentity('notes-service', FROM) },
    );
    expect(exported.map((n) => n.title)).toEqual(['One', 'Two']);

    expect(await call('importNotes', { userId: TO, notes: exported })).toEqual({ created: 2, skipped: 0 });
    expect(await call('importNotes', { userId: TO, notes: exported })).toEqual({ created: 0, skipped: 2 });
    // Importing into the account it came from creates nothing either.
    expect(await call('importNotes', { userId: FROM, notes: exported })).toEqual({ created: 0, skipped: 2 });
    const imported = await collectStream(
      client.service,
      'exportNotes',
      { userId: TO },
      { deadlineMs: 10_000, identity: testIdentity('notes-service', TO) },
    );
    expect(imported.map((n) => ({ title: n.title, tags: n.tags, trashed: Boolean(n.deletedAt), createdAt: n.createdAt }))).toEqual(
      exported.map((n) => ({ title: n.title, tags: n.tags, trashed: Boolean(n.deletedAt), createdAt: n.createdAt })),
    );
  });

  it('imports in batches of 500 rows per transaction; a failed batch leaves the ones before it, and the same import again adds the rest', async () => {
    const USER = '5101';
    const notes: notesV1.Note[] = Array.from({ length: 1_200 }, (_, i) => ({
      id: `src-${i}`,
      title: `bulk ${i}`,
      text: `text ${i}`,
      tags: i % 2 ? ['bulk', 'Bülk'] : [],
      isPinned: false,
      isArchived: false,
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    }));
    const real = repo.insertImported.bind(repo);
    let batch = 0;
    const failing = jest.spyOn(repo, 'insertImported').mockImplementation(async (...args) => {
      batch += 1;
      if (batch === 2) throw new Error('the database went away');
      return real(...args);
    });
    expect((await rejection(call('importNotes', { userId: USER, notes }))).code).toBe(GrpcStatus.INTERNAL);
    failing.mockRestore();
    const count = async () => Number((await dataSource.query('SELECT COUNT(*) AS n FROM notes WHERE user_id = ?', [USER]))[0].n);
    expect(await count()).toBe(500);
    // One insert per batch, each in a transaction of its own (counting transactions would also count the trash purger's).
    const inserts = jest.spyOn(repo, 'insertImported');
    expect(await call('importNotes', { userId: USER, notes })).toEqual({ created: 700, skipped: 500 });
    expect(inserts).toHaveBeenCalledTimes(2); // 500 + 200
    inserts.mockRestore();
    expect(await count()).toBe(1_200);
    expect((await call('listTags', { userId: USER })).items).toEqual([{ tag: 'bulk', count: 600 }]);
  });

  describe('tags that differ only by accent or case', () => {
    it('are one tag: a note carrying `cafe` and `café` is created, renamed, filtered and imported without a duplicate key', async () => {
      const USER = '5201';
      const note = await create(USER, 'Coffee', { tags: ['cafe', 'café', 'Cafe', 'CAFÉ', 'tea'] });
      expect(note.tags).toEqual(['cafe', 'tea']);
      const renamed = await call('updateNote', { userId: USER, id: note.id, tags: { tags: ['Café', 'cafe', 'thé', 'the'] }, clientId: '' });
      expect(renamed.tags).toEqual(['Café', 'thé']);
      for (const tag of ['cafe', 'CAFÉ', 'Café', 'THE'])
        expect((await list(USER, { tag })).items.map((n: notesV1.Note) => n.id)).toEqual([note.id]);
      expect((await list(USER, { tag: 'cafe', q: 'Coffee' })).items).toHaveLength(1);
      expect((await call('listTags', { userId: USER })).items).toEqual([
        { tag: 'Café', count: 1 },
        { tag: 'thé', count: 1 },
      ]);
      const imported = await call('importNotes', {
        userId: '5202',
        notes: [{ ...note, id: 'ext-1', tags: ['cafe', 'café', 'Café'] }],
      });
      expect(imported).toEqual({ created: 1, skipped: 0 });
      expect((await list('5202', { tag: 'CAFE' })).items[0].tags).toEqual(['cafe']);
    });

    it('a pair the collator misses but the database collation joins is still no error (the tag row is kept once)', async () => {
      // Written straight through the repository, past normalizeTags.
      const id = await repo.transaction(async (manager) => {
        const noteId = (await repo.insert(
          '5203',
          {
            title: 't',
            text: '',
            tags: ['cafe', 'café'],
            is_pinned: 0,
            is_archived: 0,
            version: 1,
            created_at: new Date(),
            updated_at: new Date(),
            deleted_at: null,
          },
          null,
          manager,
        )) as string;
        await repo.insertTags('5203', noteId, ['cafe', 'café'], manager);
        return noteId;
      });
      const rows = await dataSource.query('SELECT tag FROM note_tags WHERE note_id = ?', [id]);
      expect(rows).toHaveLength(1);
    });
  });

  it('returns a shorter page with a nextCursor instead of going over the gRPC message limit', async () => {
    const USER = '5301';
    // 25 notes of 100,000 two-byte characters: 5 MB, over gRPC's default 4 MiB limit in one page.
    for (let i = 0; i < 25; i++) await create(USER, `large ${i}`, { text: 'é'.repeat(100_000) });
    const seen = new Set<string>();
    let cursor = '';
    let pages = 0;
    do {
      const page = await list(USER, { limit: 100, cursor });
      pages += 1;
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.reduce((sum: number, n: notesV1.Note) => sum + Buffer.byteLength(n.text), 0)).toBeLessThanOrEqual(2 * 1024 * 1024);
      page.items.forEach((n: notesV1.Note) => seen.add(n.id));
      cursor = page.nextCursor ?? '';
    } while (cursor);
    expect(seen.size).toBe(25);
    expect(pages).toBeGreaterThan(1);
    // Search pages are capped the same way.
    const search = await list(USER, { q: 'large', limit: 100 });
    expect(search.items.length).toBeLessThan(25);
    expect(search.nextCursor).toBeTruthy();
  });

  it("deletes all of a user's notes and nobody else's", async () => {
    await create('6001', 'a');
    await create('6001', 'b');
    await create('6002', 'c');
    expect(await call('deleteUserNotes', { userId: '6001' })).toEqual({ deleted: 2 });
    expect(await call('deleteUserNotes', { userId: '6001' })).toEqual({ deleted: 0 });
    expect((await list('6002')).items).toHaveLength(1);
  });

  it("streams a user's note events (catch-up, then live) until the client cancels", async () => {
    const events = app.get(EventLog);
    const USER = '7001';
    const before = await create(USER, 'before');
    const [first] = await new Promise<notesV1.NoteEvent[]>((resolve) => {
      const got: notesV1.NoteEvent[] = [];
      const sub = client.service
        .streamNoteUpdates({ userId: USER, lastEventId: '0-0' }, callMetadata({ identity: testIdentity('notes-service', USER) }))
        .subscribe((e) => {
          got.push(e);
          sub.unsubscribe();
          resolve(got);
        });
    });
    expect(first).toMatchObject({ type: 'NOTE_CREATED', userId: USER, noteId: before.id, note: { title: 'before' } });

    // The documented test client of the stream (libs/server/testing), as an internal subscriber would use it.
    const changes = subscribeToUserChanges('notes', { url: `127.0.0.1:${service.env['GRPC_PORT']}`, userId: USER, lastEventId: first.id });
    await new Promise((r) => setTimeout(r, 200));
    const live = await create(USER, 'live');
    await create('7002', 'someone else');
    await call('deleteNote', { userId: USER, id: live.id, permanent: true, clientId: 'tab-9' });
    const got = await changes.until(2);
    expect(got.map((e) => [e.type, e.noteId])).toEqual([
      ['NOTE_CREATED', live.id],
      ['NOTE_DELETED', live.id],
    ]);
    expect(got[1].clientId).toBe('tab-9');
    const watching = events.watcherCount();
    changes.close();
    for (let i = 0; i < 100 && events.watcherCount() >= watching; i++) await new Promise((r) => setTimeout(r, 20));
    expect(events.watcherCount()).toBe(watching - 1);
  });

  describe('query plans', () => {
    const explain = async (sql: string, params: unknown[]) =>
      (await dataSource.query(`EXPLAIN ${sql}`, params)) as { table: string; key: string | null; type: string; Extra: string | null }[];

    it('lists a page as one range scan of ix_notes_list with no filesort', async () => {
      for (const after of [undefined, { pinned: false, updatedAt: '2026-01-01 00:00:00.000', id: '100' }]) {
        const { sql, params } = repo.listSql({ userId: '2001', state: 0, limit: 21, after });
        const [plan] = await explain(sql, params);
        expect(plan.key).toBe('ix_notes_list');
        expect(plan.type).toMatch(/^(range|ref)$/);
        expect(plan.Extra ?? '').not.toMatch(/filesort/i);
      }
    });

    it('uses the same index for the pinned filter and the trash view', async () => {
      for (const query of [{ pinned: true }, { state: 2 }]) {
        const { sql, params } = repo.listSql({ userId: '2001', state: 0, limit: 21, ...query });
        const [plan] = await explain(sql, params);
        expect(plan.key).toBe('ix_notes_list');
        expect(plan.Extra ?? '').not.toMatch(/filesort/i);
      }
    });

    it('searches through the FULLTEXT index', async () => {
      const { sql, params } = repo.searchSql({ userId: '3001', state: 0, q: 'lisbon', limit: 21 });
      const [plan] = await explain(sql, params);
      expect(plan.key).toBe('ft_notes_search');
      expect(plan.type).toBe('fulltext');
    });
  });
});
