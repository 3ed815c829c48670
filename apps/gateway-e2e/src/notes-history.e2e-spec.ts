import type { MergeConflictBody, Note, NoteRevision, NoteRevisionSummary, Page, UpdatedNote } from '@micronote/contracts';

import { api, expectError, register } from './support/api';

/** Checklist ticks, revisions and merging a stale edit, through the REST API. */
describe('notes: ticks, revisions, merges', () => {
  let token: string;
  let other: string;
  const create = async (body: object) => {
    const response = await api<Note>('POST', '/api/notes', { token, body });
    expect(response.status).toBe(201);
    return response.body;
  };
  const patch = (id: string, body: object, headers: Record<string, string> = {}) =>
    api<UpdatedNote>('PATCH', `/api/notes/${id}`, { token, body, headers });

  beforeAll(async () => {
    ({ accessToken: token } = await register());
    ({ accessToken: other } = await register());
  });

  describe('POST /api/notes/:id/tasks', () => {
    it('ticks the item by its text, nearest the index, as a new version; 200 unchanged when already ticked', async () => {
      const note = await create({ title: 'Shopping', text: '- [ ] milk\n- [ ] eggs\n- [ ] milk' });
      await patch(note.id, { text: '- [ ] bread\n- [ ] milk\n- [ ] eggs\n- [ ] milk' });
      const ticked = await api<Note>('POST', `/api/notes/${note.id}/tasks`, { token, body: { index: 3, text: 'milk', checked: true } });
      expect(ticked.status).toBe(200);
      expect(ticked.body).toMatchObject({
        id: note.id,
        text: '- [ ] bread\n- [ ] milk\n- [ ] eggs\n- [x] milk',
        version: 3,
        deletedAt: null,
      });
      const again = await api<Note>('POST', `/api/notes/${note.id}/tasks`, { token, body: { index: 3, text: 'milk', checked: true } });
      expect(again.body).toEqual(ticked.body);
    });

    it('answers 409 TASK_NOT_FOUND when no item has the text, 400 on bad input, 404 for a note not yours', async () => {
      const note = await create({ title: 'List', text: '- [ ] a\n```\n- [ ] b\n```' });
      const missing = expectError(
        await api('POST', `/api/notes/${note.id}/tasks`, { token, body: { index: 1, text: 'b', checked: true } }),
        409,
      );
      expect(missing['code']).toBe('TASK_NOT_FOUND');
      for (const body of [
        { index: -1, text: 'a', checked: true },
        { index: 0, text: '', checked: true },
        { index: 0, text: '   ', checked: true },
        { index: 0, text: 'a' },
        { index: 0, text: 'a', checked: 'yes' },
        { index: 1.5, text: 'a', checked: true },
        { index: 0, text: 'a', checked: true, extra: 1 },
      ])
        expect(expectError(await api('POST', `/api/notes/${note.id}/tasks`, { token, body }), 400)['code']).toBe('VALIDATION_FAILED');
      expectError(await api('POST', '/api/notes/abc/tasks', { token, body: { index: 0, text: 'a', checked: true } }), 400);
      expect(
        expectError(await api('POST', `/api/notes/${note.id}/tasks`, { token: other, body: { index: 0, text: 'a', checked: true } }), 404)[
          'code'
        ],
      ).toBe('NOTE_NOT_FOUND');
      expectError(await api('POST', `/api/notes/${note.id}/tasks`, { body: { index: 0, text: 'a', checked: true } }), 401);
    });
  });

  describe('revisions', () => {
    it('lists revisions newest first with the client id, reads one, restores one as a new version', async () => {
      const note = await create({ title: 'Draft', text: 'first', tags: ['a'] });
      await patch(note.id, { text: 'second', tags: ['b'] }, { 'x-client-id': 'tab-1' });
      await patch(note.id, { isPinned: true });
      const list = await api<Page<NoteRevisionSummary>>('GET', `/api/notes/${note.id}/revisions`, { token });
      expect(list.status).toBe(200);
      expect(list.body).toEqual({
        items: [
          { version: 2, at: expect.stringMatching(/Z$/), title: 'Draft', size: 6, clientId: 'tab-1' },
          { version: 1, at: expect.stringMatching(/Z$/), title: 'Draft', size: 5, clientId: null },
        ],
        nextCursor: null,
      });
      const first = await api<NoteRevision>('GET', `/api/notes/${note.id}/revisions/1`, { token });
      expect(first.body).toEqual({
        noteId: note.id,
        version: 1,
        at: expect.any(String),
        title: 'Draft',
        text: 'first',
        tags: ['a'],
        clientId: null,
      });

      const restored = await api<Note>('POST', `/api/notes/${note.id}/revisions/1/restore`, { token });
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ id: note.id, text: 'first', tags: ['a'], isPinned: true, version: 4 });
      const after = await api<Page<NoteRevisionSummary>>('GET', `/api/notes/${note.id}/revisions`, { token });
      expect(after.body.items.map((r) => r.version)).toEqual([4, 2, 1]);
    });

    it('pages with nextCursor', async () => {
      const note = await create({ title: 'Many', text: 'v1' });
      for (let i = 2; i <= 55; i++) await patch(note.id, { text: `v${i}` });
      const first = await api<Page<NoteRevisionSummary>>('GET', `/api/notes/${note.id}/revisions`, { token });
      expect(first.body.items).toHaveLength(50);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await api<Page<NoteRevisionSummary>>('GET', `/api/notes/${note.id}/revisions?cursor=${first.body.nextCursor}`, {
        token,
      });
      expect(second.body.items.map((r) => r.version)).toEqual([5, 4, 3, 2, 1]);
      expect(second.body.nextCursor).toBeNull();
    });

    it('answers 400 on a bad version or cursor, 404 for a version not kept or a note not yours', async () => {
      const note = await create({ title: 'One', text: 'x' });
      for (const version of ['0', '-1', 'abc', '1.5', '99999999999'])
        expectError(await api('GET', `/api/notes/${note.id}/revisions/${version}`, { token }), 400);
      expect(expectError(await api('GET', `/api/notes/${note.id}/revisions?cursor=nope!`, { token }), 400)['code']).toBe('INVALID_CURSOR');
      expectError(await api('GET', `/api/notes/${note.id}/revisions?limit=5`, { token }), 400);
      expect(expectError(await api('GET', `/api/notes/${note.id}/revisions/7`, { token }), 404)['code']).toBe('REVISION_NOT_FOUND');
      expect(expectError(await api('POST', `/api/notes/${note.id}/revisions/7/restore`, { token }), 404)['code']).toBe(
        'REVISION_NOT_FOUND',
      );
      for (const [method, path] of [
        ['GET', `/api/notes/${note.id}/revisions`],
        ['GET', `/api/notes/${note.id}/revisions/1`],
        ['POST', `/api/notes/${note.id}/revisions/1/restore`],
      ])
        expect(expectError(await api(method, path, { token: other }), 404)['code']).toBe('NOTE_NOT_FOUND');
    });

    it('deleting a note for good deletes its revisions', async () => {
      const note = await create({ title: 'Gone', text: 'x' });
      expect((await api('DELETE', `/api/notes/${note.id}?permanent=true`, { token })).status).toBe(204);
      expectError(await api('GET', `/api/notes/${note.id}/revisions`, { token }), 404);
    });
  });

  describe('PATCH with baseVersion', () => {
    const BASE = 'one\ntwo\nthree\nfour';

    it('merges a stale edit of other lines: 200 with merged: true', async () => {
      const note = await create({ title: 'Merge', text: BASE, tags: ['x'] });
      expect((await patch(note.id, { text: 'ONE\ntwo\nthree\nfour', version: 1 })).status).toBe(200);
      const merged = await patch(note.id, { text: 'one\ntwo\nthree\nFOUR', tags: ['x', 'y'], baseVersion: 1 });
      expect(merged.status).toBe(200);
      expect(merged.body).toMatchObject({ text: 'ONE\ntwo\nthree\nFOUR', tags: ['x', 'y'], version: 3, merged: true });
      // An edit on the stored version is a plain update.
      const plain = await patch(note.id, { title: 'Plain', baseVersion: 3 });
      expect(plain.body).toMatchObject({ title: 'Plain', version: 4 });
      expect(plain.body).not.toHaveProperty('merged');
    });

    it('answers overlapping edits with 409 MERGE_CONFLICT: current, base and conflicts', async () => {
      const note = await create({ title: 'Clash', text: BASE });
      const theirs = await patch(note.id, { text: 'one\ntheirs\nthree\nfour' });
      const clash = await patch(note.id, { text: 'one\nmine\nthree\nfour', baseVersion: 1 });
      const body = expectError(clash, 409) as unknown as MergeConflictBody;
      expect(body.code).toBe('MERGE_CONFLICT');
      expect(body.current).toEqual(theirs.body);
      expect(body.base).toMatchObject({ id: note.id, text: BASE, version: 1, deletedAt: null });
      expect(body.conflicts).toEqual([
        { field: 'text', base: { start: 1, end: 2 }, mine: { start: 1, end: 2 }, theirs: { start: 1, end: 2 } },
      ]);
      expect(body).not.toHaveProperty('baseVersion');
    });

    it('sends current and base in full for large notes too', async () => {
      const big = Array.from({ length: 2_000 }, (_, i) => `line ${i} é`).join('\n');
      const note = await create({ title: 'Big', text: big });
      await patch(note.id, { text: big.replace('line 5 ', 'theirs 5 ') });
      const body = expectError(
        await patch(note.id, { text: big.replace('line 5 ', 'mine 5 '), baseVersion: 1 }),
        409,
      ) as unknown as MergeConflictBody;
      expect(body.code).toBe('MERGE_CONFLICT');
      expect(body.base.text).toBe(big);
      expect(body.current.text).toBe(big.replace('line 5 ', 'theirs 5 '));
      expect(body.conflicts).toHaveLength(1);
      const stale = expectError(await patch(note.id, { text: 'x', version: 1 }), 409);
      expect(stale['code']).toBe('NOTE_VERSION_CONFLICT');
      expect((stale['current'] as Note).version).toBe(2);
    });

    it('answers 409 NOTE_VERSION_CONFLICT with current for a base newer than the note, 400 for version with baseVersion', async () => {
      const note = await create({ title: 'Base', text: BASE });
      const newer = expectError(await patch(note.id, { text: 'x', baseVersion: 9 }), 409);
      expect(newer).toMatchObject({ code: 'NOTE_VERSION_CONFLICT', current: { id: note.id, version: 1 } });
      expectError(await patch(note.id, { text: 'x', baseVersion: 1, version: 1 }), 400);
      for (const baseVersion of [0, -1, 'one', null, 1.5]) expectError(await patch(note.id, { text: 'x', baseVersion }), 400);
    });
  });
});
