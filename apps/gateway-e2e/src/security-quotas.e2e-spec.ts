import type { Note } from '@micronote/contracts';

import type { ApiResponse, RequestOptions } from './support/api';
import { api, expectError, register } from './support/api';
import type { AppProcess } from './support/processes';
import { startApp } from './support/processes';
import { connect } from './support/realtime';

/**
 * One user cannot exhaust shared resources (OWASP API4), attacked through the REST edge:
 * per-user quotas (notes, bytes, todos; parallel creates at the limit; imports), events that
 * would carry 100 KB notes, list pages of large notes past gRPC's 4 MiB, and tags that differ
 * only by accent or case. The quota attacks run against notes- and todos-service processes of
 * their own with small quotas, behind a gateway of their own.
 */
describe('security: per-user quotas and resource caps', () => {
  let notes: AppProcess;
  let todos: AppProcess;
  let gateway: AppProcess;

  /** A call to the gateway in front of the small-quota services. */
  async function limited<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers,
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : text) as T };
  }

  const exportedNote = (id: string) => ({
    id,
    title: `imported ${id}`,
    text: 'imported',
    tags: [],
    isPinned: false,
    isArchived: false,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    deletedAt: null,
  });

  beforeAll(async () => {
    [notes, todos] = await Promise.all([
      startApp('notes-service', { MAX_NOTES_PER_USER: '4', MAX_BYTES_PER_USER: '250000' }),
      startApp('todos-service', { MAX_TODOS_PER_USER: '3' }),
    ]);
    gateway = await startApp('gateway', {
      GRPC_NOTES_URL: `127.0.0.1:${notes.env['GRPC_PORT']}`,
      GRPC_TODOS_URL: `127.0.0.1:${todos.env['GRPC_PORT']}`,
      GRPC_DEADLINE_MS: '10000',
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([gateway, notes, todos].map((app) => app?.stop()));
  });

  it('refuses the note past MAX_NOTES_PER_USER with 403 QUOTA_EXCEEDED, even for parallel creates', async () => {
    const { accessToken: token } = await register();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => limited('POST', '/api/notes', { token, body: { title: `flood ${i}`, text: 'x' } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(4);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(8);
    for (const response of refused) {
      expect(expectError(response, 403)).toMatchObject({ code: 'QUOTA_EXCEEDED', quota: 'notes', limit: 4 });
    }
    expect((await limited('GET', '/api/users/me/stats', { token })).body.notes.total).toBe(4);
    // Another user is not affected.
    const other = (await register()).accessToken;
    expect((await limited('POST', '/api/notes', { token: other, body: { title: 'mine', text: '' } })).status).toBe(201);
  });

  it('refuses notes past MAX_BYTES_PER_USER (a 100 KB note at a time) with 403 QUOTA_EXCEEDED', async () => {
    const { accessToken: token } = await register();
    const big = { title: 'big', text: 'x'.repeat(100_000) };
    expect((await limited('POST', '/api/notes', { token, body: big })).status).toBe(201);
    const second = await limited<Note>('POST', '/api/notes', { token, body: { title: 'small', text: 'y' } });
    expect(second.status).toBe(201);
    expect((await limited('POST', '/api/notes', { token, body: big })).status).toBe(201);
    const third = await limited('POST', '/api/notes', { token, body: big });
    expect(expectError(third, 403)).toMatchObject({ code: 'QUOTA_EXCEEDED', quota: 'bytes' });
    // Growing a small note past the quota is refused as well.
    const grow = await limited('PATCH', `/api/notes/${second.body.id}`, { token, body: { text: 'z'.repeat(60_000) } });
    expect(expectError(grow, 403)).toMatchObject({ code: 'QUOTA_EXCEEDED' });
  });

  it('refuses an import that would go over the quota whole (nothing imported), and one that fits goes in', async () => {
    const { accessToken: token } = await register();
    const tooMany = { notes: ['a', 'b', 'c', 'd', 'e'].map(exportedNote), todos: [] };
    expect(expectError(await limited('POST', '/api/users/me/import', { token, body: tooMany }), 403)).toMatchObject({
      code: 'QUOTA_EXCEEDED',
    });
    expect((await limited('GET', '/api/users/me/stats', { token })).body.notes.total).toBe(0);
    const fits = { notes: tooMany.notes.slice(0, 4), todos: [] };
    expect((await limited('POST', '/api/users/me/import', { token, body: fits })).body).toEqual({ notes: 4, todos: 0 });
  });

  it('refuses the todo past MAX_TODOS_PER_USER with 403 QUOTA_EXCEEDED, even for parallel creates', async () => {
    const { accessToken: token } = await register();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => limited('POST', '/api/todos', { token, body: { text: `t${i}` } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    for (const response of results.filter((r) => r.status !== 201)) {
      expect(expectError(response, 403)).toMatchObject({ code: 'QUOTA_EXCEEDED', quota: 'todos', limit: 3 });
    }
  });

  it('sends an event for a 100 KB note as id + version + truncated (no text through the stream); the note is fetched by id', async () => {
    const { accessToken: token } = await register();
    const tab = await connect(token);
    try {
      const created = await api<Note>('POST', '/api/notes', { token, body: { title: 'large', text: 'é'.repeat(50_000) } });
      expect(created.status).toBe(201);
      const small = await api<Note>('POST', '/api/notes', { token, body: { title: 'small', text: 'tiny' } });
      const [large, whole] = await tab.waitFor(2);
      expect(large).toMatchObject({ type: 'NOTE_CREATED', noteId: created.body.id, version: 1, truncated: true });
      expect(large.note).toBeUndefined();
      expect(JSON.stringify(large).length).toBeLessThan(1_000);
      expect(whole).toMatchObject({ type: 'NOTE_CREATED', noteId: small.body.id, note: { text: 'tiny' } });
      expect((await api<Note>('GET', `/api/notes/${created.body.id}`, { token })).body.text).toHaveLength(50_000);
    } finally {
      tab.close();
    }
  });

  it('answers a page of large notes (5 MB, over gRPC’s 4 MiB) with fewer items and a nextCursor, not an error', async () => {
    const { accessToken: token } = await register();
    for (let i = 0; i < 25; i++) {
      const response = await api('POST', '/api/notes', { token, body: { title: `large ${i}`, text: 'é'.repeat(100_000) } });
      expect(response.status).toBe(201);
    }
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await api<{ items: Note[]; nextCursor: string | null }>('GET', `/api/notes?limit=100${query}`, { token });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeGreaterThan(0);
      page.body.items.forEach((n) => seen.add(n.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen.size).toBe(25);
    expect(pages).toBeGreaterThan(1);
  }, 60_000);

  it('never answers 500 for tags that differ only by accent or case (create, rename, filter, import)', async () => {
    const { accessToken: token } = await register();
    const created = await api<Note>('POST', '/api/notes', { token, body: { title: 'coffee', text: '', tags: ['cafe', 'café', 'Cafe'] } });
    expect(created.status).toBe(201);
    expect(created.body.tags).toEqual(['cafe']);
    const renamed = await api<Note>('PATCH', `/api/notes/${created.body.id}`, { token, body: { tags: ['CAFÉ', 'cafe', 'thé', 'THE'] } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.tags).toEqual(['CAFÉ', 'thé']);
    for (const tag of ['cafe', 'Café', 'the']) {
      const page = await api<{ items: Note[] }>('GET', `/api/notes?tag=${encodeURIComponent(tag)}`, { token });
      expect(page.status).toBe(200);
      expect(page.body.items.map((n) => n.id)).toEqual([created.body.id]);
    }
    const imported = await api('POST', '/api/users/me/import', {
      token,
      body: { notes: [{ ...exportedNote('x1'), tags: ['naïve', 'naive', 'NAIVE'] }], todos: [] },
    });
    expect(imported.status).toBe(200);
  });
});
