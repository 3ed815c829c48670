import type { Page, Todo, TodoStats } from '@micronote/contracts';

import type { ApiResponse } from './support/api';
import { api, expectError, register } from './support/api';

const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The spec's list order, computed from the todos themselves. */
function specOrder(a: Todo, b: Todo): number {
  if (a.completed !== b.completed) return a.completed ? 1 : -1;
  if ((a.dueDate === null) !== (b.dueDate === null)) return a.dueDate === null ? 1 : -1;
  if (a.dueDate !== null && b.dueDate !== null && a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? -1 : 1;
  return BigInt(a.id) > BigInt(b.id) ? -1 : 1;
}

describe('todos', () => {
  let token: string;

  beforeAll(async () => {
    ({ accessToken: token } = await register());
  });

  async function create(accessToken: string, body: Record<string, unknown>): Promise<Todo> {
    const response = await api<Todo>('POST', '/api/todos', { token: accessToken, body });
    expect(response.status).toBe(201);
    return response.body;
  }

  /** Every todo of a list, following nextCursor. */
  async function listAll(accessToken: string, query = ''): Promise<Todo[]> {
    const items: Todo[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const separator = query ? '&' : '';
      const response: ApiResponse<Page<Todo>> = await api<Page<Todo>>(
        'GET',
        `/api/todos?${query}${cursor ? `${separator}cursor=${cursor}` : ''}`,
        {
          token: accessToken,
        },
      );
      expect(response.status).toBe(200);
      items.push(...response.body.items);
      cursor = response.body.nextCursor;
      if (cursor === null) return items;
    }
    throw new Error('too many pages');
  }

  describe('CRUD', () => {
    it('creates (201, priority medium by default, nulls for what is not set), reads, updates and deletes', async () => {
      const created = await create(token, { text: 'Buy milk' });
      expect(created).toEqual({
        id: expect.stringMatching(/^[1-9]\d*$/),
        text: 'Buy milk',
        completed: false,
        priority: 'medium',
        dueDate: null,
        category: null,
        completedAt: null,
        listId: null,
        allDay: false,
        parentId: null,
        // The user's first todo: the first fractional index.
        position: 'a0',
        subtasks: { total: 0, completed: 0 },
        recurrence: null,
        remindAt: null,
        version: 1,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: created.createdAt,
      });

      const read = await api<Todo>('GET', `/api/todos/${created.id}`, { token });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created);

      const patched = await api<Todo>('PATCH', `/api/todos/${created.id}`, {
        token,
        body: { text: 'Buy oat milk', priority: 'high', dueDate: '2030-01-15', category: 'Shopping' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        id: created.id,
        text: 'Buy oat milk',
        priority: 'high',
        dueDate: '2030-01-15T00:00:00.000Z',
        category: 'Shopping',
        version: 2,
      });

      const put = await api<Todo>('PUT', `/api/todos/${created.id}`, { token, body: { dueDate: null, category: null } });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ text: 'Buy oat milk', priority: 'high', dueDate: null, category: null, version: 3 });
      expect((await api('GET', `/api/todos/${created.id}`, { token })).body).toEqual(put.body);

      const deleted = await api('DELETE', `/api/todos/${created.id}`, { token });
      expect(deleted.status).toBe(204);
      expect(expectError(await api('GET', `/api/todos/${created.id}`, { token }), 404)['code']).toBe('TODO_NOT_FOUND');
      expectError(await api('DELETE', `/api/todos/${created.id}`, { token }), 404);
      expectError(await api('PATCH', `/api/todos/${created.id}`, { token, body: { text: 'again' } }), 404);
    });

    it('accepts a date-time with an offset as the due date and returns it in UTC', async () => {
      const todo = await create(token, { text: 'Call', dueDate: '2030-03-10T09:30:00+01:00', priority: 'low', category: ' Calls ' });
      expect(todo).toMatchObject({ dueDate: '2030-03-10T08:30:00.000Z', priority: 'low', category: 'Calls' });
    });

    it('sets completedAt when completed turns true and clears it when it turns false', async () => {
      const todo = await create(token, { text: 'Finish report' });
      const done = await api<Todo>('PATCH', `/api/todos/${todo.id}`, { token, body: { completed: true } });
      expect(done.body).toMatchObject({ completed: true, completedAt: expect.stringMatching(/Z$/), version: 2 });
      expect(Date.parse(done.body.completedAt as string)).toBeGreaterThanOrEqual(Date.parse(todo.createdAt));

      const again = await api<Todo>('PATCH', `/api/todos/${todo.id}`, { token, body: { completed: true } });
      expect(again.body).toEqual(done.body);

      const undone = await api<Todo>('PUT', `/api/todos/${todo.id}`, { token, body: { completed: false } });
      expect(undone.body).toMatchObject({ completed: false, completedAt: null, version: 3 });
    });

    it('answers a stale version with 409 and the current todo; the current version and a no-op are fine', async () => {
      const todo = await create(token, { text: 'Shared', category: 'Team' });
      const first = await api<Todo>('PATCH', `/api/todos/${todo.id}`, { token, body: { text: 'Tab one', version: 1 } });
      expect(first.status).toBe(200);

      const stale = await api('PATCH', `/api/todos/${todo.id}`, { token, body: { text: 'Tab two', version: 1 } });
      const body = expectError(stale, 409);
      expect(body['code']).toBe('TODO_VERSION_CONFLICT');
      expect(body['current']).toEqual(first.body);
      expectError(await api('PUT', `/api/todos/${todo.id}`, { token, body: { completed: true, version: 5 } }), 409);
      expect((await api('GET', `/api/todos/${todo.id}`, { token })).body).toEqual(first.body);

      const noop = await api<Todo>('PATCH', `/api/todos/${todo.id}`, { token, body: { text: 'Tab one', version: 2 } });
      expect(noop.body).toEqual(first.body);
      const empty = await api<Todo>('PATCH', `/api/todos/${todo.id}`, { token, body: {} });
      expect(empty.body).toEqual(first.body);
    });
  });

  describe('list', () => {
    let owner: string;
    let all: Todo[];
    const now = Date.now();

    beforeAll(async () => {
      ({ accessToken: owner } = await register());
      const dues = [null, iso(now - 2 * DAY), iso(now + 2 * DAY), iso(now + 5 * DAY), null, iso(now - 1 * DAY), iso(now + 2 * DAY)];
      for (let i = 0; i < 21; i++) {
        const todo = await create(owner, {
          text: `todo ${i}`,
          priority: ['low', 'medium', 'high'][i % 3],
          dueDate: dues[i % dues.length],
          category: i % 2 ? 'Work' : i % 4 === 0 ? 'Home' : null,
        });
        if (i % 5 === 0) await api('PATCH', `/api/todos/${todo.id}`, { token: owner, body: { completed: true } });
      }
      const response = await api<Page<Todo>>('GET', '/api/todos?limit=100', { token: owner });
      all = response.body.items;
    });

    it('orders: not completed first, then due date soonest first with none last, then newest', () => {
      expect(all).toHaveLength(21);
      expect(all.map((t) => t.id)).toEqual([...all].sort(specOrder).map((t) => t.id));
      const pending = all.filter((t) => !t.completed);
      expect(all.slice(0, pending.length)).toEqual(pending);
      const lastDated = pending.map((t) => t.dueDate !== null).lastIndexOf(true);
      expect(pending.slice(lastDated + 1).every((t) => t.dueDate === null)).toBe(true);
    });

    it('pages with nextCursor: every todo once, in order; 20 per page by default', async () => {
      const first = await api<Page<Todo>>('GET', '/api/todos', { token: owner });
      expect(first.body.items).toHaveLength(20);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      for (const limit of [1, 4, 20, 21]) {
        const paged = await listAll(owner, `limit=${limit}`);
        expect(paged.map((t) => t.id)).toEqual(all.map((t) => t.id));
      }
      const last = await api<Page<Todo>>('GET', '/api/todos?limit=21', { token: owner });
      expect(last.body.nextCursor).toBeNull();
    });

    it('filters by completed, priority and category, also across pages', async () => {
      expect((await listAll(owner, 'completed=true&limit=2')).map((t) => t.id)).toEqual(all.filter((t) => t.completed).map((t) => t.id));
      expect((await listAll(owner, 'completed=false&limit=3')).map((t) => t.id)).toEqual(all.filter((t) => !t.completed).map((t) => t.id));
      expect((await listAll(owner, 'priority=high&limit=3')).map((t) => t.id)).toEqual(
        all.filter((t) => t.priority === 'high').map((t) => t.id),
      );
      expect((await listAll(owner, 'category=Work&limit=4')).map((t) => t.id)).toEqual(
        all.filter((t) => t.category === 'Work').map((t) => t.id),
      );
      expect((await listAll(owner, 'category=Home&priority=low')).map((t) => t.id)).toEqual(
        all.filter((t) => t.category === 'Home' && t.priority === 'low').map((t) => t.id),
      );
    });

    it('filters by due date (dueAfter inclusive, dueBefore exclusive) and overdue', async () => {
      const after = iso(now - 1 * DAY);
      const before = iso(now + 5 * DAY);
      const due = await listAll(owner, `dueAfter=${encodeURIComponent(after)}&dueBefore=${encodeURIComponent(before)}`);
      expect(due.map((t) => t.id)).toEqual(
        all.filter((t) => t.dueDate !== null && t.dueDate >= after && t.dueDate < before).map((t) => t.id),
      );
      expect(due.length).toBeGreaterThan(0);

      const dateOnly = await listAll(owner, 'dueBefore=2000-01-01');
      expect(dateOnly).toEqual([]);

      const nowIso = new Date().toISOString();
      const overdue = all.filter((t) => !t.completed && t.dueDate !== null && t.dueDate < nowIso);
      expect(overdue.length).toBeGreaterThan(0);
      expect((await listAll(owner, 'overdue=true&limit=2')).map((t) => t.id)).toEqual(overdue.map((t) => t.id));
      const notOverdue = await listAll(owner, 'overdue=false');
      expect(notOverdue.map((t) => t.id)).toEqual(all.filter((t) => !overdue.includes(t)).map((t) => t.id));
    });

    it('answers stats with the numbers of the list', async () => {
      const response = await api<TodoStats>('GET', '/api/todos/stats', { token: owner });
      expect(response.status).toBe(200);
      const nowIso = new Date().toISOString();
      const completed = all.filter((t) => t.completed).length;
      const count = (p: (t: Todo) => boolean) => all.filter(p).length;
      expect(response.body).toEqual({
        total: 21,
        completed,
        pending: 21 - completed,
        overdue: count((t) => !t.completed && t.dueDate !== null && t.dueDate < nowIso),
        completionRate: completed / 21,
        byPriority: { low: 7, medium: 7, high: 7 },
        byCategory: { Work: count((t) => t.category === 'Work'), Home: count((t) => t.category === 'Home') },
      });
    });

    it('has zero stats for a new user', async () => {
      const { accessToken } = await register();
      expect((await api('GET', '/api/todos/stats', { token: accessToken })).body).toEqual({
        total: 0,
        completed: 0,
        pending: 0,
        overdue: 0,
        completionRate: 0,
        byPriority: { low: 0, medium: 0, high: 0 },
        byCategory: {},
      });
      expect((await api('GET', '/api/todos', { token: accessToken })).body).toEqual({ items: [], nextCursor: null });
    });
  });

  it("answers another user's todo with 404 for every verb, and leaves it alone", async () => {
    const alice = await register();
    const bob = await register();
    const todo = await create(alice.accessToken, { text: 'Private' });
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { text: 'mine now' }],
      ['PUT', { completed: true }],
      ['PATCH', { version: 1 }],
      ['DELETE', undefined],
    ] as const) {
      const response = await api(method, `/api/todos/${todo.id}`, { token: bob.accessToken, body });
      expect(expectError(response, 404)['code']).toBe('TODO_NOT_FOUND');
    }
    expect((await api('GET', '/api/todos', { token: bob.accessToken })).body).toEqual({ items: [], nextCursor: null });
    expect((await api('GET', '/api/todos/stats', { token: bob.accessToken })).body).toMatchObject({ total: 0 });
    expect((await api('GET', `/api/todos/${todo.id}`, { token: alice.accessToken })).body).toEqual(todo);
  });

  describe('bad input is a 400', () => {
    let id: string;
    beforeAll(async () => {
      id = (await create(token, { text: 'target' })).id;
    });

    it.each([
      ['an unknown field', { text: 'x', done: true }],
      ['an id', { text: 'x', id: '5' }],
      ['no text', {}],
      ['empty text', { text: '' }],
      ['blank text', { text: '   ' }],
      ['text of 201 characters', { text: 't'.repeat(201) }],
      ['a number for text', { text: 42 }],
      ['a bad priority', { text: 'x', priority: 'urgent' }],
      ['a bad date', { text: 'x', dueDate: 'tomorrow' }],
      ['an impossible date', { text: 'x', dueDate: '2030-02-30' }],
      ['an empty category', { text: 'x', category: '' }],
      ['a category of 31 characters', { text: 'x', category: 'c'.repeat(31) }],
    ])('POST with %s', async (_, body) => {
      expectError(await api('POST', '/api/todos', { token, body }), 400);
    });

    it('POST with exactly 200 characters of text is fine', async () => {
      expect((await create(token, { text: 'x'.repeat(200), category: 'c'.repeat(30) })).text).toHaveLength(200);
    });

    it.each([
      ['an unknown field', { title: 'x' }],
      ['empty text', { text: '' }],
      ['text of 201 characters', { text: 't'.repeat(201) }],
      ['a bad priority', { priority: 'HIGH' }],
      ['a bad date', { dueDate: '31/12/2030' }],
      ['a string for completed', { completed: 'yes' }],
      ['version 0', { version: 0 }],
      ['a string version', { version: '1' }],
    ])('PATCH with %s', async (_, body) => {
      expectError(await api('PATCH', `/api/todos/${id}`, { token, body }), 400);
      expectError(await api('PUT', `/api/todos/${id}`, { token, body }), 400);
    });

    it.each(['abc', '0', '-1', '01', '1.5', '99999999999999999999'])('the id %s', async (badId) => {
      expectError(await api('GET', `/api/todos/${badId}`, { token }), 400);
      expectError(await api('PATCH', `/api/todos/${badId}`, { token, body: { text: 'x' } }), 400);
      expectError(await api('PUT', `/api/todos/${badId}`, { token, body: { text: 'x' } }), 400);
      expectError(await api('DELETE', `/api/todos/${badId}`, { token }), 400);
    });

    it.each([
      'limit=0',
      'limit=101',
      'limit=abc',
      'completed=maybe',
      'overdue=1',
      'priority=urgent',
      'dueBefore=soon',
      'dueAfter=2030-13-01',
      `cursor=${'c'.repeat(513)}`,
      'unknown=1',
    ])('GET /api/todos?%s', async (query) => {
      expectError(await api('GET', `/api/todos?${query}`, { token }), 400);
    });

    it.each(['not-a-cursor', 'eyJ4IjoxfQ', Buffer.from(JSON.stringify(['t', false, null, 'nope', '1'])).toString('base64url')])(
      'a bad cursor %s',
      async (cursor) => {
        expect(expectError(await api('GET', `/api/todos?cursor=${cursor}`, { token }), 400)['code']).toBe('INVALID_CURSOR');
      },
    );
  });

  it.each([
    ['GET', '/api/todos'],
    ['POST', '/api/todos'],
    ['GET', '/api/todos/stats'],
    ['GET', '/api/todos/1'],
    ['PATCH', '/api/todos/1'],
    ['PUT', '/api/todos/1'],
    ['DELETE', '/api/todos/1'],
  ])('%s %s without a token is 401', async (method, path) => {
    expectError(await api(method, path, method === 'POST' || method === 'PATCH' || method === 'PUT' ? { body: { text: 'x' } } : {}), 401);
    expectError(await api(method, path, { token: 'not.a.token', body: method === 'POST' ? { text: 'x' } : undefined }), 401);
  });
});
