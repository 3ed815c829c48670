// Object-level authorization sweep: every route that takes an id, called by user B with user A's
// id, answers 404 exactly as for an id that does not exist, and A's item is unchanged.
import { randomUUID } from 'node:crypto';

import { api, register } from './support/api';

type Owner = Awaited<ReturnType<typeof register>>;

interface IdRoute {
  method: string;
  /** `:id` is the victim's item. */
  path: string;
  kind: 'note' | 'todo' | 'session';
  body?: Record<string, unknown>;
}

/** Every route of the API with an id in its path (API.md): keep in step with the spec. */
const ID_ROUTES: IdRoute[] = [
  { method: 'GET', path: '/api/notes/:id', kind: 'note' },
  { method: 'PATCH', path: '/api/notes/:id', kind: 'note', body: { title: 'hijacked' } },
  { method: 'PUT', path: '/api/notes/:id', kind: 'note', body: { title: 'hijacked', text: 'x' } },
  { method: 'DELETE', path: '/api/notes/:id', kind: 'note' },
  { method: 'DELETE', path: '/api/notes/:id?permanent=true', kind: 'note' },
  { method: 'POST', path: '/api/notes/:id/restore', kind: 'note' },
  { method: 'POST', path: '/api/notes/:id/shares', kind: 'note', body: {} },
  { method: 'GET', path: '/api/notes/:id/shares', kind: 'note' },
  { method: 'POST', path: '/api/notes/:id/tasks', kind: 'note', body: { index: 0, text: 'private', checked: true } },
  { method: 'GET', path: '/api/notes/:id/revisions', kind: 'note' },
  { method: 'GET', path: '/api/notes/:id/revisions/1', kind: 'note' },
  { method: 'POST', path: '/api/notes/:id/revisions/1/restore', kind: 'note' },
  { method: 'POST', path: '/api/notes/:id/members', kind: 'note', body: { user: 'nobody-at-all', role: 'viewer' } },
  { method: 'GET', path: '/api/notes/:id/members', kind: 'note' },
  { method: 'PATCH', path: '/api/notes/:id/members/1', kind: 'note', body: { role: 'editor' } },
  { method: 'DELETE', path: '/api/notes/:id/members/1', kind: 'note' },
  { method: 'DELETE', path: '/api/notes/:id/members/me', kind: 'note' },
  { method: 'POST', path: '/api/notes/:id/members/me/accept', kind: 'note' },
  { method: 'GET', path: '/api/todos/:id', kind: 'todo' },
  { method: 'PATCH', path: '/api/todos/:id', kind: 'todo', body: { completed: true } },
  { method: 'PUT', path: '/api/todos/:id', kind: 'todo', body: { text: 'hijacked' } },
  { method: 'DELETE', path: '/api/todos/:id', kind: 'todo' },
  { method: 'DELETE', path: '/api/auth/sessions/:id', kind: 'session' },
];

describe("object-level authorization: another user's id is 404 on every route with an id", () => {
  let victim: Owner;
  let attacker: Owner;
  const ids: Record<IdRoute['kind'], string> = { note: '', todo: '', session: '' };
  let trashedNoteId: string;

  beforeAll(async () => {
    [victim, attacker] = await Promise.all([register(), register()]);
    const note = await api('POST', '/api/notes', { token: victim.accessToken, body: { title: 'Mine', text: 'private' } });
    const trashed = await api('POST', '/api/notes', { token: victim.accessToken, body: { title: 'Trashed', text: 'private' } });
    const todo = await api('POST', '/api/todos', { token: victim.accessToken, body: { text: 'Mine' } });
    expect([note.status, trashed.status, todo.status]).toEqual([201, 201, 201]);
    ids.note = note.body.id;
    ids.todo = todo.body.id;
    trashedNoteId = trashed.body.id;
    expect((await api('DELETE', `/api/notes/${trashedNoteId}`, { token: victim.accessToken })).status).toBe(204);
    const sessions = await api('GET', '/api/auth/sessions', { token: victim.accessToken });
    ids.session = sessions.body.items[0].id;
  });

  it.each(ID_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', async (_name, route) => {
    const victimId = route.path.endsWith('/restore') ? trashedNoteId : ids[route.kind];
    // Notes and todos have BIGINT ids, sessions UUIDs: a well-formed id that exists nowhere.
    const missingId = route.kind === 'session' ? randomUUID() : '999999999999999999';
    const call = (id: string) => api(route.method, route.path.replace(':id', id), { token: attacker.accessToken, body: route.body });

    const foreign = await call(victimId);
    const missing = await call(missingId);
    expect(foreign.status).toBe(404);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined, message: typeof body['message'] });
    expect(strip(foreign.body)).toEqual(strip(missing.body));
    expect(foreign.body.code).toBe(missing.body.code);
  });

  it("leaves the victim's items, trash and session exactly as they were", async () => {
    const note = await api('GET', `/api/notes/${ids.note}`, { token: victim.accessToken });
    expect(note.status).toBe(200);
    expect(note.body).toMatchObject({ title: 'Mine', text: 'private', version: 1, deletedAt: null });
    const trashed = await api('GET', `/api/notes/${trashedNoteId}`, { token: victim.accessToken });
    expect(trashed.body.deletedAt).not.toBeNull();
    const todo = await api('GET', `/api/todos/${ids.todo}`, { token: victim.accessToken });
    expect(todo.body).toMatchObject({ text: 'Mine', completed: false, version: 1 });
    expect((await api('GET', '/api/auth/me', { token: victim.accessToken })).status).toBe(200);
  });
});
