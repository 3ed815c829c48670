import { randomBytes } from 'node:crypto';

import type { Note, Todo } from '@micronote/contracts';

import { api, expectError, register } from './support/api';

const newKey = () => `e2e-${randomBytes(8).toString('hex')}`;
const withKey = (key: string) => ({ 'idempotency-key': key });

describe('Idempotency-Key on POST', () => {
  let token: string;

  beforeAll(async () => {
    token = (await register()).accessToken;
  });

  const noteCount = async (as = token) => (await api<{ items: Note[] }>('GET', '/api/notes?limit=100', { token: as })).body.items.length;

  it('creates a note once and replays the first answer for the same key', async () => {
    const before = await noteCount();
    const key = newKey();
    const body = { title: 'Once', text: 'only once', tags: ['idem'] };
    const first = await api<Note>('POST', '/api/notes', { token, body, headers: withKey(key) });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const second = await api<Note>('POST', '/api/notes', { token, body, headers: withKey(key) });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await noteCount()).toBe(before + 1);
  });

  it('refuses the same key with a different body, and creates nothing', async () => {
    const key = newKey();
    expect((await api('POST', '/api/notes', { token, body: { title: 'A', text: 'x' }, headers: withKey(key) })).status).toBe(201);
    const before = await noteCount();
    const reused = await api('POST', '/api/notes', { token, body: { title: 'B', text: 'x' }, headers: withKey(key) });
    expect(expectError(reused, 409).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await noteCount()).toBe(before);
  });

  it('keeps keys per user: another user may use the same key', async () => {
    const other = (await register()).accessToken;
    const key = newKey();
    const mine = await api<Note>('POST', '/api/notes', { token, body: { title: 'mine', text: 'x' }, headers: withKey(key) });
    const theirs = await api<Note>('POST', '/api/notes', { token: other, body: { title: 'mine', text: 'x' }, headers: withKey(key) });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(await noteCount(other)).toBe(1);
  });

  it('runs concurrent duplicates once (the loser is replayed or 409 IDEMPOTENCY_IN_PROGRESS)', async () => {
    const other = (await register()).accessToken;
    const key = newKey();
    const send = () => api<Note>('POST', '/api/notes', { token: other, body: { title: 'race', text: 'x' }, headers: withKey(key) });
    const answers = await Promise.all([send(), send(), send()]);
    for (const answer of answers) {
      if (answer.status === 409) expect((answer.body as unknown as { code: string }).code).toBe('IDEMPOTENCY_IN_PROGRESS');
      else expect(answer.status).toBe(201);
    }
    expect(await noteCount(other)).toBe(1);
  });

  it('applies to POST /api/todos', async () => {
    const key = newKey();
    const body = { text: 'Idempotent todo', priority: 'high' };
    const first = await api<Todo>('POST', '/api/todos', { token, body, headers: withKey(key) });
    expect(first.status).toBe(201);
    const second = await api<Todo>('POST', '/api/todos', { token, body, headers: withKey(key) });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    const list = await api<{ items: Todo[] }>('GET', '/api/todos?limit=100', { token });
    expect(list.body.items.filter((t) => t.text === 'Idempotent todo')).toHaveLength(1);
  });

  it('rejects a malformed key with 400 and runs nothing', async () => {
    const before = await noteCount();
    for (const key of ['has space', 'a'.repeat(129), 'semi;colon']) {
      const response = await api('POST', '/api/notes', { token, body: { title: 'bad key', text: 'x' }, headers: withKey(key) });
      expect(expectError(response, 400).code).toBe('IDEMPOTENCY_KEY_INVALID');
    }
    expect(await noteCount()).toBe(before);
  });

  it('replays POST /api/notes/:id/restore without running it again', async () => {
    const note = (await api<Note>('POST', '/api/notes', { token, body: { title: 'to restore', text: 'x' } })).body;
    expect((await api('DELETE', `/api/notes/${note.id}`, { token })).status).toBe(204);
    const key = newKey();
    const restored = await api<Note>('POST', `/api/notes/${note.id}/restore`, { token, headers: withKey(key) });
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeNull();

    // Trash it again: a retry of the restore with the same key must not restore it a second time.
    expect((await api('DELETE', `/api/notes/${note.id}`, { token })).status).toBe(204);
    const retry = await api<Note>('POST', `/api/notes/${note.id}/restore`, { token, headers: withKey(key) });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(restored.body);
    expect((await api<Note>('GET', `/api/notes/${note.id}`, { token })).body.deletedAt).toEqual(expect.any(String));
  });

  it('releases the key after an error, so a corrected retry runs', async () => {
    const key = newKey();
    const missing = await api('POST', '/api/notes/999999999/restore', { token, headers: withKey(key) });
    expect(missing.status).toBe(404);
    const again = await api('POST', '/api/notes/999999999/restore', { token, headers: withKey(key) });
    expect(again.status).toBe(404);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

});
