import type { Note } from '@micronote/contracts';

import { api, expectError, register } from './support/api';

describe('notes', () => {
  let token: string;
  const create = async (body: object, as = token) => {
    const response = await api<Note>('POST', '/api/notes', { token: as, body });
    expect(response.status).toBe(201);
    return response.body;
  };

  beforeAll(async () => {
    ({ accessToken: token } = await register());
  });

  it('creates, reads, edits (PATCH and PUT), trashes, restores and deletes a note', async () => {
    const note = await create({ title: 'Shopping', text: 'milk', tags: [' food ', 'FOOD', 'home'] });
    expect(note).toEqual({
      id: expect.stringMatching(/^\d+$/),
      title: 'Shopping',
      text: 'milk',
      tags: ['food', 'home'],
      isPinned: false,
      isArchived: false,
      version: 1,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
      deletedAt: null,
    });
    expect((await api('GET', `/api/notes/${note.id}`, { token })).body).toEqual(note);

    const patched = await api<Note>('PATCH', `/api/notes/${note.id}`, { token, body: { text: 'milk, eggs', isPinned: true, version: 1 } });
    expect(patched.body).toMatchObject({ title: 'Shopping', text: 'milk, eggs', isPinned: true, version: 2 });
    const put = await api<Note>('PUT', `/api/notes/${note.id}`, { token, body: { isArchived: true } });
    expect(put.body).toMatchObject({ isArchived: true, version: 3 });

    expect((await api('DELETE', `/api/notes/${note.id}`, { token })).status).toBe(204);
    const trashed = await api<Note>('GET', `/api/notes/${note.id}`, { token });
    expect(trashed.body.deletedAt).toEqual(expect.any(String));
    const trashList = await api('GET', '/api/notes?trashed=true', { token });
    expect(trashList.body.items.map((n: Note) => n.id)).toContain(note.id);

    const restored = await api<Note>('POST', `/api/notes/${note.id}/restore`, { token });
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeNull();

    expect((await api('DELETE', `/api/notes/${note.id}?permanent=true`, { token })).status).toBe(204);
    expectError(await api('GET', `/api/notes/${note.id}`, { token }), 404);
  });

  it('two tabs with the same version: the second gets 409 with the current note, and nothing is lost', async () => {
    const note = await create({ title: 'Shared', text: 'v1' });
    const tabA = await api<Note>('PATCH', `/api/notes/${note.id}`, { token, body: { text: 'from tab A', version: note.version } });
    expect(tabA.status).toBe(200);
    const tabB = await api('PATCH', `/api/notes/${note.id}`, { token, body: { text: 'from tab B', version: note.version } });
    const body = expectError(tabB, 409);
    expect(body['code']).toBe('NOTE_VERSION_CONFLICT');
    expect(body['current']).toEqual(tabA.body);
    expect((await api<Note>('GET', `/api/notes/${note.id}`, { token })).body.text).toBe('from tab A');
    // Tab B re-applies its edit on top of the current version.
    const retry = await api<Note>('PATCH', `/api/notes/${note.id}`, { token, body: { text: 'from tab B', version: tabA.body.version } });
    expect(retry.body).toMatchObject({ text: 'from tab B', version: tabA.body.version + 1 });
  });

  it('lists pinned first then newest, pages with a cursor, filters, searches and counts tags', async () => {
    const { accessToken: mine } = await register();
    const titles = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    for (const title of titles) await create({ title, text: `${title} says hello`, tags: title < 'c' ? ['early'] : ['late'] }, mine);
    await create({ title: 'pinned one', text: 'zebra crossing', isPinned: true }, mine);

    const first = await api('GET', '/api/notes?limit=4', { token: mine });
    expect(first.body.items.map((n: Note) => n.title)).toEqual(['pinned one', 'echo', 'delta', 'charlie']);
    const second = await api('GET', `/api/notes?limit=4&cursor=${first.body.nextCursor}`, { token: mine });
    expect(second.body).toEqual({ items: expect.any(Array), nextCursor: null });
    expect(second.body.items.map((n: Note) => n.title)).toEqual(['bravo', 'alpha']);

    expect((await api('GET', '/api/notes?tag=early', { token: mine })).body.items.map((n: Note) => n.title)).toEqual(['bravo', 'alpha']);
    expect((await api('GET', '/api/notes?pinned=true', { token: mine })).body.items).toHaveLength(1);
    expect((await api('GET', '/api/notes?q=zebra', { token: mine })).body.items.map((n: Note) => n.title)).toEqual(['pinned one']);
    expect((await api('GET', '/api/notes/tags', { token: mine })).body).toEqual({
      items: [
        { tag: 'late', count: 3 },
        { tag: 'early', count: 2 },
      ],
    });
  });

  it("answers 404 for another user's note, for every verb, exactly as for a missing one", async () => {
    const note = await create({ title: 'Mine', text: 'secret' });
    const { accessToken: other } = await register();
    for (const [method, path, body] of [
      ['GET', `/api/notes/${note.id}`],
      ['PATCH', `/api/notes/${note.id}`, { title: 'stolen' }],
      ['PUT', `/api/notes/${note.id}`, { title: 'stolen' }],
      ['DELETE', `/api/notes/${note.id}`],
      ['DELETE', `/api/notes/${note.id}?permanent=true`],
      ['POST', `/api/notes/${note.id}/restore`],
      ['GET', '/api/notes/999999999'],
    ] as [string, string, object?][]) {
      const response = await api(method, path, { token: other, body });
      expect(expectError(response, 404)['code']).toBe('NOTE_NOT_FOUND');
    }
    expect((await api<Note>('GET', `/api/notes/${note.id}`, { token })).body.title).toBe('Mine');
  });

  it.each([
    ['no title', { text: 'x' }],
    ['an empty title', { title: '', text: 'x' }],
    ['a blank title', { title: '   ', text: 'x' }],
    ['a title of 101 characters', { title: 't'.repeat(101), text: 'x' }],
    ['text over 100,000 characters', { title: 't', text: 'x'.repeat(100_001) }],
    ['21 tags', { title: 't', text: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }],
    ['a tag of 31 characters', { title: 't', text: 'x', tags: ['x'.repeat(31)] }],
    ['a tag that is not a string', { title: 't', text: 'x', tags: [1] }],
    ['an unknown field', { title: 't', text: 'x', color: 'red' }],
    ['a string for isPinned', { title: 't', text: 'x', isPinned: 'yes' }],
  ])('POST with %s → 400', async (_, body) => {
    expectError(await api('POST', '/api/notes', { token, body }), 400);
  });

  it.each([
    ['/api/notes?limit=0'],
    ['/api/notes?limit=101'],
    ['/api/notes?limit=abc'],
    ['/api/notes?pinned=maybe'],
    ['/api/notes?cursor=not-a-cursor'],
    ['/api/notes?cursor=eyJoYWNrIjp0cnVlfQ'],
    ['/api/notes?sort=title'],
    ['/api/notes/abc'],
    ['/api/notes/-1'],
    ['/api/notes/1.5'],
    ['/api/notes/99999999999999999999999'],
  ])('GET %s → 400', async (path) => {
    expectError(await api('GET', path, { token }), 400);
  });

  it('PATCH with a bad version → 400; without a token → 401', async () => {
    const note = await create({ title: 't', text: '' });
    expectError(await api('PATCH', `/api/notes/${note.id}`, { token, body: { version: 0 } }), 400);
    expectError(await api('PATCH', `/api/notes/${note.id}`, { token, body: { version: 'one' } }), 400);
    expectError(await api('GET', '/api/notes'), 401);
    expectError(await api('POST', '/api/notes', { body: { title: 't', text: '' } }), 401);
  });
});
