import { strFromU8, unzipSync } from 'fflate';
import { createConnection } from 'mysql2/promise';

import { api, expectError, GATEWAY_URL, register } from './support/api';

/** The entries of a zip (names → text), read through its central directory (the export is streamed). */
function unzip(buffer: Buffer): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(new Uint8Array(buffer))).map(([name, data]) => [name, strFromU8(data)]));
}

describe('account data: stats, export, import, deletion', () => {
  it('reports notes and todos stats together', async () => {
    const { accessToken: token } = await register();
    await api('POST', '/api/notes', { token, body: { title: 'a', text: '', tags: ['x'], isPinned: true } });
    await api('POST', '/api/notes', { token, body: { title: 'b', text: '' } });
    await api('POST', '/api/todos', { token, body: { text: 'do it', priority: 'high', category: 'home' } });
    const stats = await api('GET', '/api/users/me/stats', { token });
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual({
      notes: { total: 2, pinned: 1, archived: 0, trashed: 0, tags: 1 },
      todos: expect.objectContaining({
        total: 1,
        completed: 0,
        pending: 1,
        completionRate: 0,
        byPriority: { low: 0, medium: 0, high: 1 },
        byCategory: { home: 1 },
      }),
    });
  });

  it('exports JSON that imports into another account exactly once', async () => {
    const source = await register();
    const token = source.accessToken;
    await api('POST', '/api/notes', { token, body: { title: 'Keep me', text: 'body', tags: ['t1', 't2'] } });
    const trashed = await api('POST', '/api/notes', { token, body: { title: 'Trashed', text: '' } });
    await api('DELETE', `/api/notes/${trashed.body.id}`, { token });
    await api('POST', '/api/todos', { token, body: { text: 'todo one', priority: 'low', dueDate: '2030-01-02' } });

    const exported = await api('GET', '/api/users/me/export', { token });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="micronote-.*\.json"/);
    const document = exported.body;
    expect(document).toMatchObject({ format: 'micronote-export', version: 1, user: source.user });
    expect(document.notes.map((n: { title: string }) => n.title)).toEqual(['Keep me', 'Trashed']);
    expect(document.todos.map((t: { text: string }) => t.text)).toEqual(['todo one']);

    const target = await register();
    const first = await api('POST', '/api/users/me/import', { token: target.accessToken, body: document });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ notes: 2, todos: 1 });
    const again = await api('POST', '/api/users/me/import', { token: target.accessToken, body: document });
    expect(again.body).toEqual({ notes: 0, todos: 0 });
    // Into the account it came from: nothing is duplicated either.
    expect((await api('POST', '/api/users/me/import', { token, body: document })).body).toEqual({ notes: 0, todos: 0 });

    const notes = await api('GET', '/api/notes', { token: target.accessToken });
    expect(notes.body.items.map((n: { title: string; tags: string[] }) => [n.title, n.tags])).toEqual([['Keep me', ['t1', 't2']]]);
    const trash = await api('GET', '/api/notes?trashed=true', { token: target.accessToken });
    expect(trash.body.items.map((n: { title: string }) => n.title)).toEqual(['Trashed']);
  });

  it('exports Markdown as a zip of one file per note plus todos.md', async () => {
    const { accessToken: token } = await register();
    await api('POST', '/api/notes', { token, body: { title: 'Hello / World', text: 'Some *markdown*', tags: ['a'] } });
    await api('POST', '/api/todos', { token, body: { text: 'Buy milk', priority: 'high' } });
    const response = await fetch(`${GATEWAY_URL}/api/users/me/export?format=markdown`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const files = unzip(Buffer.from(await response.arrayBuffer()));
    const names = Object.keys(files).sort();
    expect(names).toEqual([expect.stringMatching(/^notes\/Hello-World-\d+\.md$/), 'todos.md']);
    expect(files[names[0]]).toContain('title: "Hello / World"');
    expect(files[names[0]]).toContain('Some *markdown*');
    expect(files['todos.md']).toContain('- [ ] Buy milk (priority: high)');
  });

  it.each([
    ['not a document', { hello: 'world' }],
    ['notes that are not a list', { notes: 'x', todos: [] }],
    [
      'a note without a title',
      {
        notes: [
          {
            id: '1',
            text: '',
            tags: [],
            isPinned: false,
            isArchived: false,
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: '2026-01-01T00:00:00.000Z',
            deletedAt: null,
          },
        ],
        todos: [],
      },
    ],
    [
      'a note with a bad date',
      {
        notes: [
          {
            id: '1',
            title: 't',
            text: '',
            tags: [],
            isPinned: false,
            isArchived: false,
            createdAt: 'yesterday',
            updatedAt: '2026-01-01T00:00:00.000Z',
            deletedAt: null,
          },
        ],
        todos: [],
      },
    ],
    [
      'a todo with a bad priority',
      {
        notes: [],
        todos: [
          {
            id: '1',
            text: 't',
            completed: false,
            priority: 'urgent',
            dueDate: null,
            category: null,
            completedAt: null,
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: '2026-01-01T00:00:00.000Z',
          },
        ],
      },
    ],
    [
      'an unknown field in a note',
      {
        notes: [
          {
            id: '1',
            title: 't',
            text: '',
            tags: [],
            isPinned: false,
            isArchived: false,
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: '2026-01-01T00:00:00.000Z',
            deletedAt: null,
            owner: 'x',
          },
        ],
        todos: [],
      },
    ],
  ])('import of %s → 400', async (_, body) => {
    const { accessToken: token } = await register();
    expectError(await api('POST', '/api/users/me/import', { token, body }), 400);
    expectError(await api('GET', '/api/users/me/export?format=pdf', { token }), 400);
  });

  it("account deletion removes the user's notes and todos too", async () => {
    const mysqlUrl = process.env['MYSQL_URL'];
    const suffix = process.env['DB_SUFFIX'];
    const { accessToken: token, user, credentials } = await register();
    await api('POST', '/api/notes', { token, body: { title: 'n', text: '' } });
    await api('POST', '/api/todos', { token, body: { text: 't' } });
    expect((await api('DELETE', '/api/users/me', { token, body: { password: credentials.password } })).status).toBe(204);
    if (!mysqlUrl || suffix === undefined) return; // only a system of our own (global setup) tells us where the databases are
    const db = await createConnection({ uri: mysqlUrl });
    try {
      const count = async () => {
        const [notes] = await db.query(`SELECT COUNT(*) AS n FROM \`micronote_notes${suffix}\`.notes WHERE user_id = ?`, [user.id]);
        const [todos] = await db.query(`SELECT COUNT(*) AS n FROM \`micronote_todos${suffix}\`.todos WHERE user_id = ?`, [user.id]);
        return Number((notes as { n: number }[])[0].n) + Number((todos as { n: number }[])[0].n);
      };
      const deadline = Date.now() + 10_000;
      while ((await count()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await count()).toBe(0);
    } finally {
      await db.end();
    }
  });
});
