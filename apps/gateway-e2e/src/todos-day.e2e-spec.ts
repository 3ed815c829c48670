import type { Page, Todo } from '@micronote/contracts';

import { api, expectError, register } from './support/api';

const HOUR = 60 * 60 * 1000;

/** Due times and views, subtasks and the manual order, through the gateway (see the README, "Todos"). */
describe('todos that run a day', () => {
  let token: string;

  beforeEach(async () => {
    ({ accessToken: token } = await register());
  });

  async function create(body: Record<string, unknown>, as = token): Promise<Todo> {
    const response = await api<Todo>('POST', '/api/todos', { token: as, body });
    expect(response.status).toBe(201);
    return response.body;
  }

  async function list(query: string, headers: Record<string, string> = {}): Promise<Todo[]> {
    const response = await api<Page<Todo>>('GET', `/api/todos?${query}`, { token, headers });
    expect(response.status).toBe(200);
    return response.body.items;
  }

  const move = (id: string, body: Record<string, unknown>, as = token) => api<Todo>('POST', `/api/todos/${id}/move`, { token: as, body });
  const texts = (todos: Todo[]) => todos.map((t) => t.text);

  it('keeps a date without a time as an all-day todo and a date-time as an instant', async () => {
    const allDay = await create({ text: 'birthday', dueDate: '2026-07-01' });
    expect(allDay).toMatchObject({
      dueDate: '2026-07-01T00:00:00.000Z',
      allDay: true,
      parentId: null,
      subtasks: { total: 0, completed: 0 },
    });
    const timed = await create({ text: 'dentist', dueDate: '2026-07-01T09:30:00+02:00' });
    expect(timed).toMatchObject({ dueDate: '2026-07-01T07:30:00.000Z', allDay: false });
    const patched = await api<Todo>('PATCH', `/api/todos/${timed.id}`, { token, body: { allDay: true } });
    expect(patched.body).toMatchObject({ dueDate: '2026-07-01T00:00:00.000Z', allDay: true });
    expectError(await api('PATCH', `/api/todos/${timed.id}`, { token, body: { allDay: 'yes' } }), 400);
  });

  it('answers today and upcoming in the X-Time-Zone zone, and 400 for an unknown zone or view', async () => {
    const now = Date.now();
    await create({ text: 'overdue', dueDate: new Date(now - 2 * HOUR).toISOString() });
    await create({ text: 'in two days', dueDate: new Date(now + 48 * HOUR).toISOString() });
    await create({ text: 'in ten days', dueDate: new Date(now + 240 * HOUR).toISOString() });
    await create({ text: 'no date' });
    for (const zone of ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles']) {
      expect(texts(await list('view=today', { 'x-time-zone': zone }))).toContain('overdue');
      expect(texts(await list('view=today', { 'x-time-zone': zone }))).not.toContain('in ten days');
      expect(texts(await list('view=upcoming', { 'x-time-zone': zone }))).toContain('in two days');
      expect(texts(await list('view=upcoming', { 'x-time-zone': zone }))).not.toContain('overdue');
    }
    expect((await api('GET', '/api/todos/stats', { token, headers: { 'x-time-zone': 'Asia/Tokyo' } })).body).toMatchObject({ overdue: 1 });
    expect(
      expectError(await api('GET', '/api/todos?view=today', { token, headers: { 'x-time-zone': 'Mars/Olympus' } }), 400).message,
    ).toMatch(/time ?zone/i);
    expectError(await api('GET', '/api/todos?view=tomorrow', { token }), 400);
    expectError(await api('GET', '/api/todos?order=random', { token }), 400);
  });

  it("uses the profile's time zone when the request names none", async () => {
    // UTC+14 and UTC-11 are 25 hours apart: their calendar dates always differ.
    const kiritimatiToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
    await create({ text: 'today at UTC+14', dueDate: kiritimatiToday });
    expect((await api('PATCH', '/api/users/me', { token, body: { timeZone: 'Pacific/Kiritimati' } })).status).toBe(200);
    expect(texts(await list('view=today'))).toEqual(['today at UTC+14']);
    expect(texts(await list('view=today', { 'x-time-zone': 'Pacific/Pago_Pago' }))).toEqual([]);
    expect(texts(await list('view=upcoming', { 'x-time-zone': 'Pacific/Pago_Pago' }))).toEqual(['today at UTC+14']);
  });

  it('nests subtasks one level, counts them on the parent, completes and deletes them with it', async () => {
    const parent = await create({ text: 'trip' });
    const passport = await create({ text: 'passport', parentId: parent.id });
    await create({ text: 'tickets', parentId: parent.id });
    expect(passport).toMatchObject({ parentId: parent.id });
    expect(texts(await list(''))).toEqual(['trip']);
    expect(texts(await list(`parentId=${parent.id}&order=manual`))).toEqual(['passport', 'tickets']);
    await api('PATCH', `/api/todos/${passport.id}`, { token, body: { completed: true } });
    expect((await list(''))[0].subtasks).toEqual({ total: 2, completed: 1 });

    expect(expectError(await api('POST', '/api/todos', { token, body: { text: 'x', parentId: passport.id } }), 400).message).toMatch(
      /one level/,
    );
    const stranger = await register();
    expectError(await api('POST', '/api/todos', { token: stranger.accessToken, body: { text: 'x', parentId: parent.id } }), 400);
    expectError(await api('GET', `/api/todos?parentId=${parent.id}`, { token: stranger.accessToken }), 404);
    expectError(await api('POST', '/api/todos', { token, body: { text: 'x', parentId: 'abc' } }), 400);

    const done = await api<Todo>('PATCH', `/api/todos/${parent.id}`, { token, body: { completed: true } });
    expect(done.body.subtasks).toEqual({ total: 2, completed: 2 });
    expect((await api('DELETE', `/api/todos/${parent.id}`, { token })).status).toBe(204);
    expectError(await api('GET', `/api/todos/${passport.id}`, { token }), 404);
  });

  it('moves a todo between its siblings and lists them in that order with order=manual, page by page', async () => {
    const [a, b, c] = [await create({ text: 'a' }), await create({ text: 'b' }), await create({ text: 'c' })];
    const moved = await move(c.id, { after: a.id, before: b.id });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: c.id, version: c.version + 1 });
    expect(texts(await list('order=manual'))).toEqual(['a', 'c', 'b']);
    expect((await move(a.id, { after: b.id })).status).toBe(200);
    expect((await move(b.id, { before: c.id, after: null })).status).toBe(200);
    const first = await api<Page<Todo>>('GET', '/api/todos?order=manual&limit=2', { token });
    const second = await api<Page<Todo>>('GET', `/api/todos?order=manual&limit=2&cursor=${first.body.nextCursor}`, { token });
    expect([...texts(first.body.items), ...texts(second.body.items)]).toEqual(['b', 'c', 'a']);
    expect(second.body.nextCursor).toBeNull();

    const stranger = await register();
    const theirs = await create({ text: 'theirs' }, stranger.accessToken);
    expectError(await move(a.id, { after: theirs.id }), 400);
    expectError(await move(a.id, { after: 'x' }), 400);
    expectError(await move(a.id, { after: a.id }), 400);
    expectError(await move(a.id, { sideways: true }), 400);
    expectError(await move(a.id, { after: b.id }, stranger.accessToken), 404);
    expectError(await move('999999999', { after: b.id }), 404);
  });

  it('acts on many todos at once with POST /api/todos/bulk, each answering its own status', async () => {
    const mine = [await create({ text: 'one' }), await create({ text: 'two' }), await create({ text: 'three' })];
    const stranger = await register();
    const theirs = await create({ text: 'theirs' }, stranger.accessToken);
    const ids = [...mine.map((t) => t.id), theirs.id];
    const bulk = (body: Record<string, unknown>) => api('POST', '/api/todos/bulk', { token, body });

    const completed = await bulk({ ids, action: 'complete' });
    expect(completed.status).toBe(200);
    expect(completed.body.items).toEqual([
      { id: mine[0].id, status: 200 },
      { id: mine[1].id, status: 200 },
      { id: mine[2].id, status: 200 },
      { id: theirs.id, status: 404, code: 'TODO_NOT_FOUND' },
    ]);
    expect((await api<Todo>('GET', `/api/todos/${theirs.id}`, { token: stranger.accessToken })).body.completed).toBe(false);
    await bulk({ ids: [mine[0].id], action: 'reopen' });
    const updated = await bulk({
      ids: mine.map((t) => t.id),
      action: 'update',
      fields: { priority: 'high', dueDate: '2026-10-01', category: null },
    });
    expect(updated.body.items.map((i: { status: number }) => i.status)).toEqual([200, 200, 200]);
    expect((await api<Todo>('GET', `/api/todos/${mine[1].id}`, { token })).body).toMatchObject({
      priority: 'high',
      allDay: true,
      category: null,
    });
    expect((await bulk({ ids: [mine[2].id], action: 'delete' })).body.items).toEqual([{ id: mine[2].id, status: 204 }]);

    for (const body of [
      { ids: [], action: 'complete' },
      { ids: Array.from({ length: 501 }, (_, i) => String(i + 1)), action: 'complete' },
      { ids: [mine[0].id, mine[0].id], action: 'complete' },
      { ids: [mine[0].id], action: 'archive' },
      { ids: [mine[0].id], action: 'update' },
      { ids: [mine[0].id], action: 'complete', fields: { priority: 'high' } },
      { ids: [mine[0].id], action: 'update', fields: { priority: 'urgent' } },
      { ids: [mine[0].id], action: 'update', fields: { text: 'not a bulk field' } },
    ]) {
      expectError(await bulk(body), 400);
    }
  });

  it('repeats: completing a weekly todo moves it to the next week at the same local time, and lists the completion', async () => {
    const berlin = { 'x-time-zone': 'Europe/Berlin' };
    // Mondays at 09:00 Berlin time, from 23 March 2026 (summer time starts on the 29th).
    const created = await api<Todo>('POST', '/api/todos', {
      token,
      headers: berlin,
      body: { text: 'weekly review', dueDate: '2026-03-23T09:00:00+01:00', recurrence: 'FREQ=WEEKLY' },
    });
    expect(created.body).toMatchObject({ recurrence: 'FREQ=WEEKLY', dueDate: '2026-03-23T08:00:00.000Z' });
    const done = await api<Todo>('PATCH', `/api/todos/${created.body.id}`, { token, headers: berlin, body: { completed: true } });
    expect(done.body).toMatchObject({ completed: false, completedAt: null, dueDate: '2026-03-30T07:00:00.000Z' });
    const completions = await api('GET', `/api/todos/${created.body.id}/completions`, { token });
    expect(completions.status).toBe(200);
    expect(completions.body).toEqual({
      items: [
        { id: expect.any(String), dueDate: '2026-03-23T08:00:00.000Z', completedAt: expect.any(String), completedBy: expect.any(String) },
      ],
      nextCursor: null,
    });
    expect((await api('GET', '/api/todos/stats', { token })).body).toMatchObject({ total: 2, completed: 1 });

    const stopped = await api<Todo>('PATCH', `/api/todos/${created.body.id}`, { token, body: { recurrence: null } });
    expect(stopped.body.recurrence).toBeNull();
    expect(expectError(await api('POST', '/api/todos', { token, body: { text: 'x', recurrence: 'FREQ=DAILY' } }), 400).message).toMatch(
      /dueDate/,
    );
    expect(
      expectError(await api('POST', '/api/todos', { token, body: { text: 'x', dueDate: '2026-05-01', recurrence: 'FREQ=MINUTELY' } }), 400)
        .message,
    ).toMatch(/RRULE/);
    expectError(await api('GET', `/api/todos/${created.body.id}/completions?limit=0`, { token }), 400);
    const stranger = await register();
    expectError(await api('GET', `/api/todos/${created.body.id}/completions`, { token: stranger.accessToken }), 404);
  });
});
