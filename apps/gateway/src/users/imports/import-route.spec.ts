import { authV1, notesV1, todosV1, userV1 } from '@micronote/proto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { of } from 'rxjs';

import { IdempotencyInterceptor } from '../../common/idempotency/idempotency.interceptor';
import { createHttpTestApp, grpcStub } from '../../testing/http-test-app';
import { AccountDataService } from '../account-data.service';
import { UsersHttpController } from '../users.http.controller';
import { enexFixture, todoistFixture, zipFixture } from './__fixtures__/fixtures';
import { AppImportService } from './app-import.service';

/** The HTTP surface of `POST /api/users/me/import?from=`: body types, sizes, auth, and the JSON import beside it. */
describe('POST /api/users/me/import?from=', () => {
  let app: NestFastifyApplication;
  let bearer: string;
  const importNotes = jest.fn((request: notesV1.ImportNotesRequest) => of({ created: request.notes.length, skipped: 0 }));
  const notes = { importNotes: (request: notesV1.ImportNotesRequest) => importNotes(request) };
  const importTodos = jest.fn((request: todosV1.ImportTodosRequest) => of({ created: request.todos.length, skipped: 0 }));
  const todos = { importTodos: (request: todosV1.ImportTodosRequest) => importTodos(request) };

  beforeAll(async () => {
    const created = await createHttpTestApp(
      [UsersHttpController],
      [
        grpcStub(authV1.MICRONOTE_AUTH_V1_PACKAGE_NAME, {}),
        grpcStub(userV1.MICRONOTE_USER_V1_PACKAGE_NAME, {}),
        { provide: notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME, useValue: { getService: () => notes, getClientByServiceName: () => ({}) } },
        { provide: todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME, useValue: { getService: () => todos, getClientByServiceName: () => ({}) } },
        AccountDataService,
        AppImportService,
        IdempotencyInterceptor,
      ],
    );
    app = created.app;
    bearer = `Bearer ${await created.token('42')}`;
  });
  afterAll(() => app.close());
  beforeEach(() => {
    importNotes.mockClear();
    importTodos.mockClear();
  });

  const post = (url: string, contentType: string | undefined, payload: Buffer | Uint8Array | string, auth = true) =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(auth ? { authorization: bearer } : {}) },
      payload: typeof payload === 'string' ? payload : Buffer.from(payload),
    });

  it.each([
    ['keep', 'application/zip', () => zipFixture('keep'), 3],
    ['markdown', 'application/octet-stream', () => zipFixture('markdown'), 4],
    ['enex', 'application/xml', () => enexFixture(), 3],
    ['enex', 'application/enex+xml', () => enexFixture(), 3],
  ] as const)('from=%s as %s → 200 with the counts', async (from, type, file, count) => {
    const response = await post(`/api/users/me/import?from=${from}`, type, file());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ notes: count, todos: 0, skipped: 0 });
    expect(importNotes).toHaveBeenCalledWith(expect.objectContaining({ userId: '42' }));
  });

  it.each(['text/csv', 'application/vnd.ms-excel', 'application/octet-stream'])(
    'from=todoist as %s → 200 with the todos counted',
    async (type) => {
      const response = await post('/api/users/me/import?from=todoist', type, todoistFixture());
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        notes: 0,
        todos: 7,
        skipped: 0,
        warnings: expect.arrayContaining(['1 comment (note rows) left out']),
      });
      expect(importTodos).toHaveBeenCalledWith(expect.objectContaining({ userId: '42' }));
      expect(importNotes).not.toHaveBeenCalled();
    },
  );

  it('from=todoist with a file that is not a Todoist CSV → 400 with the reason', async () => {
    const response = await post('/api/users/me/import?from=todoist', 'text/csv', 'Title,Due\nx,y');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'IMPORT_FILE_INVALID', message: expect.stringContaining('not a Todoist CSV') });
    expect(importTodos).not.toHaveBeenCalled();
  });

  it('an unknown source → 400', async () => {
    const response = await post('/api/users/me/import?from=notion', 'application/zip', zipFixture('keep'));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, message: 'from must be one of keep, enex, markdown, todoist' });
  });

  it('a malformed file → 400 with the reason, the notes-service never called', async () => {
    const response = await post('/api/users/me/import?from=keep', 'application/zip', 'PK but not really a zip archive at all');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'IMPORT_FILE_INVALID', message: expect.stringContaining('zip') });
    const xml = await post('/api/users/me/import?from=enex', 'application/xml', '<en-export><note>');
    expect(xml.json()).toMatchObject({ statusCode: 400, code: 'IMPORT_FILE_INVALID', message: expect.stringContaining('not valid XML') });
    expect(importNotes).not.toHaveBeenCalled();
  });

  it.each([
    ['a zip for enex', '/api/users/me/import?from=enex', 'application/zip'],
    ['XML for keep', '/api/users/me/import?from=keep', 'application/xml'],
    ['a file without from', '/api/users/me/import', 'application/zip'],
    ['a file to another route', '/api/users/me/password', 'application/zip'],
    ['text', '/api/users/me/import?from=markdown', 'text/plain'],
    ['a CSV for markdown', '/api/users/me/import?from=markdown', 'text/csv'],
  ])('%s → 415', async (_, url, type) => {
    expect((await post(url, type, 'whatever')).statusCode).toBe(415);
  });

  it('JSON with from= → 415', async () => {
    const response = await post('/api/users/me/import?from=keep', 'application/json', JSON.stringify({ notes: [], todos: [] }));
    expect(response.statusCode).toBe(415);
  });

  it('a body over 50 MiB → 413 with a message', async () => {
    const response = await post('/api/users/me/import?from=markdown', 'application/zip', Buffer.alloc(50 * 1024 * 1024 + 1));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('50 MiB') });
  });

  it('without a token → 401', async () => {
    expect((await post('/api/users/me/import?from=enex', 'application/xml', enexFixture(), false)).statusCode).toBe(401);
  });

  it('without a token, a large file is refused before it is read (401, not 413)', async () => {
    const response = await post('/api/users/me/import?from=markdown', 'application/zip', Buffer.alloc(50 * 1024 * 1024 + 1), false);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ statusCode: 401, message: expect.stringContaining('access token') });
  });

  it('the JSON import still validates its document', async () => {
    expect((await post('/api/users/me/import', 'application/json', JSON.stringify({ notes: [], todos: [] }))).json()).toEqual({
      notes: 0,
      todos: 0,
    });
    expect((await post('/api/users/me/import', 'application/json', JSON.stringify({ notes: 'x' }))).statusCode).toBe(400);
    expect((await post('/api/users/me/import', 'application/json', JSON.stringify({ notes: [], todos: [], extra: 1 }))).statusCode).toBe(
      400,
    );
  });
});
