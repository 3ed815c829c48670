import type { BulkResponse, CreatedNoteShare, Note, NoteShare, PublicNote } from '@micronote/contracts';

import { api, expectError, expectRateLimited, freshIp, GATEWAY_URL, register, sendFrom } from './support/api';
import { startSecondGateway } from './support/realtime';

/** Tag hierarchy and rename, share links (and their public read without an account), bulk actions: the REST surface. */
describe('notes: tags, share links, bulk', () => {
  let token: string;
  let otherToken: string;
  const create = async (body: object, as = token) => {
    const response = await api<Note>('POST', '/api/notes', { token: as, body: { text: '', ...body } });
    expect(response.status).toBe(201);
    return response.body;
  };
  const titlesTagged = async (tag: string) =>
    (await api<{ items: Note[] }>('GET', `/api/notes?tag=${encodeURIComponent(tag)}`, { token })).body.items.map((n) => n.title).sort();

  beforeAll(async () => {
    [{ accessToken: token }, { accessToken: otherToken }] = await Promise.all([register(), register()]);
  });

  describe('tags', () => {
    it('lists a tag with its children; counts stay per exact tag', async () => {
      await create({ title: 'p', tags: ['work'] });
      await create({ title: 'c', tags: ['work/projects'] });
      await create({ title: 'g', tags: ['Work/Projects/2026', 'work'] });
      await create({ title: 'x', tags: ['workshop'] });
      expect(await titlesTagged('work')).toEqual(['c', 'g', 'p']);
      expect(await titlesTagged('work/projects')).toEqual(['c', 'g']);
      const counts = await api('GET', '/api/notes/tags', { token });
      expect(counts.body.items).toEqual(
        expect.arrayContaining([
          { tag: 'work', count: 2 },
          { tag: 'work/projects', count: 1 },
          { tag: 'Work/Projects/2026', count: 1 },
        ]),
      );
    });

    it('refuses malformed tag paths with 400 in the error shape', async () => {
      for (const tag of ['/a', 'a/', 'a//b', 'a/b/c/d/e/f']) {
        const body = expectError(await api('POST', '/api/notes', { token, body: { title: 't', text: '', tags: [tag] } }), 400);
        expect(body['code']).toBe('VALIDATION_FAILED');
      }
    });

    it('renames a tag and its children on every note, merging into an existing tag', async () => {
      const a = await create({ title: 'ra', tags: ['old', 'new'] });
      const b = await create({ title: 'rb', tags: ['old/sub'] });
      const renamed = await api('POST', '/api/notes/tags/rename', { token, body: { from: 'old', to: 'new' } });
      expect(renamed).toMatchObject({ status: 200, body: { notes: 2 } });
      expect((await api<Note>('GET', `/api/notes/${a.id}`, { token })).body).toMatchObject({ tags: ['new'], version: 2 });
      expect((await api<Note>('GET', `/api/notes/${b.id}`, { token })).body).toMatchObject({ tags: ['new/sub'], version: 2 });
      expect((await api('POST', '/api/notes/tags/rename', { token, body: { from: 'nobody-has-this', to: 'x' } })).body).toEqual({ notes: 0 });
      // Another user's rename never touches these notes.
      expect((await api('POST', '/api/notes/tags/rename', { token: otherToken, body: { from: 'new', to: 'stolen' } })).body).toEqual({
        notes: 0,
      });
      expect((await api<Note>('GET', `/api/notes/${a.id}`, { token })).body.tags).toEqual(['new']);
    });

    it('answers 400 for a rename to itself, to an invalid tag, and for unknown or missing fields', async () => {
      for (const body of [
        { from: 'a', to: 'a' },
        { from: 'a', to: 'b//c' },
        { from: 'a', to: '' },
        { from: 'a' },
        { from: 'a', to: 'b', extra: 1 },
        { from: 'a', to: 'x'.repeat(31) },
      ]) {
        expectError(await api('POST', '/api/notes/tags/rename', { token, body }), 400);
      }
      expectError(await api('POST', '/api/notes/tags/rename', { body: { from: 'a', to: 'b' } }), 401);
    });
  });

  describe('share links', () => {
    it('creates a link, reads it without an account (current text, no-store, noindex), lists it without the token, revokes it', async () => {
      const note = await create({ title: 'Shared', text: 'v1' });
      const created = await api<CreatedNoteShare>('POST', `/api/notes/${note.id}/shares`, { token, body: {} });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^\d+$/),
        token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        url: `${GATEWAY_URL}/s/${created.body.token}`,
        expiresAt: null,
        createdAt: expect.stringMatching(/Z$/),
      });

      const read = await api<PublicNote>('GET', `/api/public/notes/${created.body.token}`);
      expect(read).toMatchObject({ status: 200, body: { title: 'Shared', text: 'v1', updatedAt: note.updatedAt } });
      expect(Object.keys(read.body).sort()).toEqual(['text', 'title', 'updatedAt']);
      expect(read.headers.get('cache-control')).toBe('no-store');
      expect(read.headers.get('x-robots-tag')).toMatch(/noindex/);

      await api('PATCH', `/api/notes/${note.id}`, { token, body: { text: 'v2' } });
      expect((await api<PublicNote>('GET', `/api/public/notes/${created.body.token}`)).body.text).toBe('v2');

      const listed = await api<{ items: NoteShare[] }>('GET', `/api/notes/${note.id}/shares`, { token });
      expect(listed.body.items).toEqual([{ id: created.body.id, expiresAt: null, createdAt: created.body.createdAt }]);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.token);

      expect((await api('DELETE', `/api/notes/${note.id}/shares/${created.body.id}`, { token })).status).toBe(204);
      const gone = await api('GET', `/api/public/notes/${created.body.token}`);
      expect(expectError(gone, 404)['code']).toBe('SHARE_NOT_FOUND');
      expect(gone.headers.get('cache-control')).toBe('no-store');
      expect(expectError(await api('DELETE', `/api/notes/${note.id}/shares/${created.body.id}`, { token }), 404)['code']).toBe('SHARE_NOT_FOUND');
    });

    it('a link with an expiry; 404 once the note is trashed or deleted for good', async () => {
      const note = await create({ title: 'Expiring' });
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      const created = await api<CreatedNoteShare>('POST', `/api/notes/${note.id}/shares`, { token, body: { expiresAt } });
      expect(created.body.expiresAt).toBe(expiresAt);
      expect((await api('GET', `/api/public/notes/${created.body.token}`)).status).toBe(200);
      await api('DELETE', `/api/notes/${note.id}`, { token });
      expectError(await api('GET', `/api/public/notes/${created.body.token}`), 404);
      await api('POST', `/api/notes/${note.id}/restore`, { token });
      expect((await api('GET', `/api/public/notes/${created.body.token}`)).status).toBe(200);
      await api('DELETE', `/api/notes/${note.id}?permanent=true`, { token });
      expectError(await api('GET', `/api/public/notes/${created.body.token}`), 404);
    });

    it('answers 400 for a bad expiry or body, 404 for unknown tokens and links', async () => {
      const note = await create({ title: 'Bad input' });
      for (const body of [{ expiresAt: 'tomorrow' }, { expiresAt: new Date(Date.now() - 60_000).toISOString() }, { expiresAt: 5 }, { token: 'x' }])
        expectError(await api('POST', `/api/notes/${note.id}/shares`, { token, body }), 400);
      expectError(await api('DELETE', `/api/notes/${note.id}/shares/abc`, { token }), 400);
      expectError(await api('DELETE', `/api/notes/${note.id}/shares/999999999`, { token }), 404);
      for (const bad of ['A'.repeat(43), 'short', '%2e%2e', 'x'.repeat(300)]) expectError(await api('GET', `/api/public/notes/${bad}`), 404);
    });

    it("BOLA: another user cannot share, list or revoke someone's note or link (404, as for a note that does not exist)", async () => {
      const note = await create({ title: 'Private' });
      const mine = await api<CreatedNoteShare>('POST', `/api/notes/${note.id}/shares`, { token, body: {} });
      for (const [method, path] of [
        ['POST', `/api/notes/${note.id}/shares`],
        ['GET', `/api/notes/${note.id}/shares`],
        ['DELETE', `/api/notes/${note.id}/shares/${mine.body.id}`],
      ]) {
        const body = expectError(await api(method, path, { token: otherToken, body: method === 'POST' ? {} : undefined }), 404);
        expect(body['code']).toBe('NOTE_NOT_FOUND');
      }
      expect((await api('GET', `/api/public/notes/${mine.body.token}`)).status).toBe(200);
      expectError(await api('GET', `/api/notes/${note.id}/shares`), 401);
    });

    it('rate-limits the public read per IP (PUBLIC_NOTE_RATE_LIMIT), with Retry-After', async () => {
      const gateway = await startSecondGateway({ PUBLIC_NOTE_RATE_LIMIT: '3' });
      try {
        const note = await create({ title: 'Popular' });
        const { body: link } = await api<CreatedNoteShare>('POST', `/api/notes/${note.id}/shares`, { token, body: {} });
        const ip = freshIp();
        const path = `/api/public/notes/${link.token}`;
        for (let i = 0; i < 3; i++) expect((await sendFrom(gateway.url, ip, 'GET', path)).status).toBe(200);
        const limited = await sendFrom(gateway.url, ip, 'GET', path);
        expectRateLimited(limited);
        expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
        // Guessing tokens spends the same budget; another address is not affected.
        expectRateLimited(await sendFrom(gateway.url, ip, 'GET', `/api/public/notes/${'B'.repeat(43)}`));
        expect((await sendFrom(gateway.url, freshIp(), 'GET', path)).status).toBe(200);
      } finally {
        await gateway.stop();
      }
    }, 60_000);
  });

  describe('bulk', () => {
    it('runs each id on its own, in order: 404 for missing and for other users’ ids', async () => {
      const a = await create({ title: 'b1' });
      const b = await create({ title: 'b2' });
      const theirs = await create({ title: 'theirs' }, otherToken);
      const result = await api<BulkResponse>('POST', '/api/notes/bulk', { token, body: { ids: [a.id, theirs.id, '999999999', b.id], action: 'pin' } });
      expect(result.status).toBe(200);
      expect(result.body.items).toEqual([
        { id: a.id, status: 200 },
        { id: theirs.id, status: 404, code: 'NOTE_NOT_FOUND' },
        { id: '999999999', status: 404, code: 'NOTE_NOT_FOUND' },
        { id: b.id, status: 200 },
      ]);
      expect((await api<Note>('GET', `/api/notes/${theirs.id}`, { token: otherToken })).body.isPinned).toBe(false);

      // BOLA: B cannot act on A's ids either.
      const stolen = await api<BulkResponse>('POST', '/api/notes/bulk', { token: otherToken, body: { ids: [a.id, b.id], action: 'delete' } });
      expect(stolen.body.items).toEqual([
        { id: a.id, status: 404, code: 'NOTE_NOT_FOUND' },
        { id: b.id, status: 404, code: 'NOTE_NOT_FOUND' },
      ]);
      expect((await api('GET', `/api/notes/${a.id}`, { token })).status).toBe(200);
    });

    it('trashes (204 each), then tags per item as PATCH would (400 in the trash), restores and deletes', async () => {
      const a = await create({ title: 'c1', tags: ['keep'] });
      const b = await create({ title: 'c2' });
      const bulk = (body: object) => api<BulkResponse>('POST', '/api/notes/bulk', { token, body });
      expect((await bulk({ ids: [a.id], action: 'trash' })).body.items).toEqual([{ id: a.id, status: 204 }]);
      expect((await bulk({ ids: [a.id, b.id], action: 'addTags', tags: ['new/tag'] })).body.items).toEqual([
        { id: a.id, status: 400, code: 'NOTE_IN_TRASH' },
        { id: b.id, status: 200 },
      ]);
      expect((await api<Note>('GET', `/api/notes/${b.id}`, { token })).body.tags).toEqual(['new/tag']);
      expect((await bulk({ ids: [a.id], action: 'restore' })).body.items).toEqual([{ id: a.id, status: 200 }]);
      expect((await bulk({ ids: [a.id, b.id], action: 'removeTags', tags: ['KEEP'] })).body.items.map((i) => i.status)).toEqual([200, 200]);
      expect((await api<Note>('GET', `/api/notes/${a.id}`, { token })).body.tags).toEqual([]);
      expect((await bulk({ ids: [a.id, b.id], action: 'delete' })).body.items.map((i) => i.status)).toEqual([204, 204]);
      expectError(await api('GET', `/api/notes/${a.id}`, { token }), 404);
    });

    it('takes 500 ids; answers 400 for 501, none, duplicates, bad ids, unknown actions, missing or stray tags', async () => {
      const ids = Array.from({ length: 500 }, (_, i) => String(900_000_000 + i));
      const big = await api<BulkResponse>('POST', '/api/notes/bulk', { token, body: { ids, action: 'archive' } });
      expect(big.status).toBe(200);
      expect(big.body.items.map((i) => i.id)).toEqual(ids);
      expect(big.body.items.every((i) => i.status === 404)).toBe(true);
      for (const body of [
        { ids: [...ids, '1'], action: 'archive' },
        { ids: [], action: 'pin' },
        { ids: ['1', '1'], action: 'pin' },
        { ids: ['abc'], action: 'pin' },
        { ids: [1], action: 'pin' },
        { ids: ['1'], action: 'explode' },
        { ids: ['1'], action: 'addTags' },
        { ids: ['1'], action: 'addTags', tags: [] },
        { ids: ['1'], action: 'pin', tags: ['x'] },
        { ids: ['1'], action: 'addTags', tags: ['a//b'] },
        { ids: ['1'], action: 'pin', extra: true },
      ]) {
        expectError(await api('POST', '/api/notes/bulk', { token, body }), 400);
      }
      expectError(await api('POST', '/api/notes/bulk', { body: { ids: ['1'], action: 'pin' } }), 401);
    });
  });
});
