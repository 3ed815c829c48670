import { readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

import type { ImportFromAppResponse, Note, Todo } from '@micronote/contracts';
import type { Zippable } from 'fflate';
import { zipSync } from 'fflate';

import type { ApiResponse } from './support/api';
import { api, expectError, GATEWAY_URL, register } from './support/api';

/** The gateway's import fixtures: small sample files made for these tests (zipped here, as a user's app would). */
const FIXTURES = join(__dirname, '../../gateway/src/users/imports/__fixtures__');

function zipFolder(dir: string, prefix = '', files: Zippable = {}): Zippable {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) zipFolder(path, `${prefix}${name}/`, files);
    else files[`${prefix}${name}`] = new Uint8Array(readFileSync(path));
  }
  return files;
}

const zipFixture = (name: string) => Buffer.from(zipSync(zipFolder(join(FIXTURES, name)), { mtime: new Date(Date.UTC(2024, 5, 1, 12)) }));
const enexFixture = () => readFileSync(join(FIXTURES, 'sample.enex'));
const todoistFixture = () => readFileSync(join(FIXTURES, 'todoist.csv'));

/** A file as the raw body of `POST /api/users/me/import?from=`. */
async function importFile(token: string | undefined, from: string, body: Buffer | string, contentType: string): Promise<ApiResponse<any>> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (token) headers['authorization'] = `Bearer ${token}`;
  const payload = typeof body === 'string' ? body : new Uint8Array(body);
  const response = await fetch(`${GATEWAY_URL}/api/users/me/import?from=${from}`, { method: 'POST', headers, body: payload });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Every note of the user: the main list, the archive and the trash. */
async function allNotes(token: string): Promise<Note[]> {
  const lists = await Promise.all(
    ['', '?archived=true', '?trashed=true'].map((query) =>
      api<{ items: Note[] }>('GET', `/api/notes${query}${query ? '&' : '?'}limit=100`, { token }),
    ),
  );
  return lists.flatMap((list) => list.body.items);
}

describe('import from other apps: POST /api/users/me/import?from=keep|enex|markdown|todoist', () => {
  it('imports a Google Keep Takeout: checklists as task lists, labels, pinned, archived, trashed', async () => {
    const { accessToken: token } = await register();
    const first = await importFile(token, 'keep', zipFixture('keep'), 'application/zip');
    expect(first.status).toBe(200);
    expect(first.body).toEqual<ImportFromAppResponse>({
      notes: 3,
      todos: 0,
      skipped: 0,
      warnings: [
        '“Trip ideas” (Takeout/Keep/Trip ideas.json): 1 attachment left out (notes keep text only)',
        "3 files that are not notes (Keep's HTML copies, attachments) left out",
      ],
    });
    const notes = await allNotes(token);
    const groceries = notes.find((n) => n.title === 'Groceries');
    expect(groceries).toMatchObject({
      text: '- [ ] Milk\n- [x] Eggs\n- [ ] Bread',
      tags: ['Home', 'Shopping'],
      isPinned: true,
      isArchived: false,
    });
    expect(groceries?.createdAt).toBe('2024-05-29T16:26:40.000Z');
    expect(notes.find((n) => n.title === 'Trip ideas')).toMatchObject({ isArchived: true, tags: ['Travel'] });
    const trashed = notes.find((n) => n.title === 'Untitled');
    expect(trashed?.deletedAt).toEqual(expect.any(String));

    const again = await importFile(token, 'keep', zipFixture('keep'), 'application/octet-stream');
    expect(again.body).toMatchObject({ notes: 0, todos: 0, skipped: 3 });
    expect(await allNotes(token)).toHaveLength(3);
  });

  it('imports an Evernote export: Markdown with task lists and tags, attachments left out', async () => {
    const { accessToken: token } = await register();
    const first = await importFile(token, 'enex', enexFixture(), 'application/xml');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      notes: 3,
      todos: 0,
      skipped: 0,
      warnings: ['“Formatting & more” (note 2): 1 attachment left out (notes keep text only)'],
    });
    const notes = await allNotes(token);
    expect(notes.find((n) => n.title === 'Packing list')).toMatchObject({
      text: '- [x] Passport\n- [ ] Charger\n- [ ] Sunscreen',
      tags: ['travel'],
    });
    const formatted = notes.find((n) => n.title === 'Formatting & more');
    expect(formatted?.text).toContain('Some **bold**, some _italic_ and ~~struck~~ text, a [link](https://example.com/report).');
    expect(formatted?.text).not.toMatch(/<script|<en-media|<div/);
    expect(formatted?.tags).toEqual(['work', 'work/reports']);
    expect((await api('GET', '/api/notes?tag=travel', { token })).body.items).toHaveLength(1);

    const again = await importFile(token, 'enex', enexFixture(), 'application/enex+xml');
    expect(again.body).toMatchObject({ notes: 0, skipped: 3 });
    expect(await allNotes(token)).toHaveLength(3);
  });

  it('imports a zip of Markdown files: front matter, headings, folders as tags', async () => {
    const { accessToken: token } = await register();
    const first = await importFile(token, 'markdown', zipFixture('markdown'), 'application/zip');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ notes: 4, todos: 0, skipped: 0 });
    expect(first.body.warnings).toEqual([
      expect.stringContaining('Vault/Personal/Broken.md: front matter is not valid YAML'),
      expect.stringContaining('not Markdown'),
    ]);
    const notes = await allNotes(token);
    expect(notes.map((n) => n.title).sort()).toEqual(['Broken', 'Meeting notes', 'Roadmap 2024', 'Welcome to the vault']);
    expect(notes.find((n) => n.title === 'Welcome to the vault')).toMatchObject({
      isPinned: true,
      tags: ['intro', 'getting started'],
      text: expect.stringContaining('- [x] open the vault'),
      createdAt: '2024-03-01T09:00:00.000Z',
    });
    expect(notes.find((n) => n.title === 'Roadmap 2024')?.tags).toEqual(['plans', 'q3', 'Work/Projects']);

    const again = await importFile(token, 'markdown', zipFixture('markdown'), 'application/zip');
    expect(again.body).toMatchObject({ notes: 0, skipped: 4 });
    expect(await allNotes(token)).toHaveLength(4);
  });

  it('a MicroNote Markdown export imports back without duplicates', async () => {
    const { accessToken: token } = await register();
    await api('POST', '/api/notes', { token, body: { title: 'Mine', text: 'kept once', tags: ['a'] } });
    const exported = await fetch(`${GATEWAY_URL}/api/users/me/export?format=markdown`, { headers: { authorization: `Bearer ${token}` } });
    const zip = Buffer.from(await exported.arrayBuffer());
    expect((await importFile(token, 'markdown', zip, 'application/zip')).body).toMatchObject({ notes: 0, skipped: 1 });
    expect((await allNotes(token)).map((n) => n.title)).toEqual(['Mine']);
  });

  it.each([
    ['a file that is not a zip', 'keep', 'this is not a zip', 'application/zip', 'The file is not a zip archive'],
    [
      'a Keep note missing its fields',
      'keep',
      zipSync({ 'Takeout/Keep/x.json': new TextEncoder().encode('{"title":"x"}') }),
      'application/zip',
      'Takeout/Keep/x.json is not a Google Keep note: userEditedTimestampUsec missing',
    ],
    ['broken XML', 'enex', '<en-export><note><title>x</note>', 'application/xml', 'The file is not valid XML'],
    ['XML that is not an export', 'enex', '<html></html>', 'application/xml', 'not an Evernote export'],
    ['a zip without Markdown', 'markdown', zipSync({ 'a.txt': new Uint8Array([1]) }), 'application/zip', 'no Markdown files'],
  ])('%s → 400 with the reason', async (_, from, body, type, reason) => {
    const { accessToken: token } = await register();
    const response = await importFile(token, from, Buffer.from(body), type);
    expect(expectError(response, 400)).toMatchObject({ code: 'IMPORT_FILE_INVALID', message: expect.stringContaining(reason) });
    expect(await allNotes(token)).toHaveLength(0);
  });

  it('an unknown source → 400; a zip as Evernote → 415', async () => {
    const { accessToken: token } = await register();
    expectError(await importFile(token, 'notion', zipFixture('keep'), 'application/zip'), 400);
    expectError(await importFile(token, 'enex', zipFixture('keep'), 'application/zip'), 415);
  });

  it('a file over 50 MiB → 413 with a message, answered before the upload is read', async () => {
    const { accessToken: token } = await register();
    // A raw request that declares 50 MiB + 1 and sends only its first bytes: the answer comes from the declared length.
    const { hostname, port } = new URL(GATEWAY_URL);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => {
        socket.write(
          `POST /api/users/me/import?from=markdown HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n` +
            `Content-Type: application/zip\r\nContent-Length: ${50 * 1024 * 1024 + 1}\r\n\r\nPK\u0003\u0004`,
        );
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
        const [head, body = ''] = text.split('\r\n\r\n');
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? NaN);
        if (Buffer.byteLength(body) >= length) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 413 /);
    expect(JSON.parse(body)).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('50 MiB') });
  });

  it('without a token → 401', async () => {
    expectError(await importFile(undefined, 'enex', enexFixture(), 'application/xml'), 401);
  });

  it('imports a Todoist project CSV as todos: priorities, due dates, repetitions, sections as categories, subtasks', async () => {
    const { accessToken: token } = await register();
    const first = await importFile(token, 'todoist', todoistFixture(), 'text/csv');
    expect(first.status).toBe(200);
    expect(first.body).toEqual<ImportFromAppResponse>({
      notes: 0,
      todos: 7,
      skipped: 0,
      warnings: [
        'The file row 18: DATE “next friday after work” kept in the text (not a date or repetition MicroNote can keep)',
        '1 task description left out (a todo has no description)',
        '1 comment (note rows) left out',
      ],
    });
    const top = (await api<{ items: Todo[] }>('GET', '/api/todos?order=manual&limit=100', { token })).body.items;
    expect(top.map((todo) => todo.text)).toEqual([
      'Renew passport',
      'Water the plants @home',
      'Buy milk, eggs and "good" bread',
      'Pay rent',
      'Call the landlord (next friday after work)',
    ]);
    const byText = new Map(top.map((todo) => [todo.text, todo]));
    expect(byText.get('Renew passport')).toMatchObject({
      priority: 'high',
      dueDate: '2026-07-01T00:00:00.000Z',
      allDay: true,
      category: null,
      recurrence: null,
      parentId: null,
    });
    const plants = byText.get('Water the plants @home');
    expect(plants).toMatchObject({ priority: 'medium', allDay: true, recurrence: 'FREQ=WEEKLY;BYDAY=MO' });
    expect(new Date(plants?.dueDate ?? '').getUTCDay()).toBe(1);
    const milk = byText.get('Buy milk, eggs and "good" bread');
    expect(milk).toMatchObject({
      priority: 'high',
      dueDate: '2026-07-02T15:30:00.000Z',
      allDay: false,
      category: 'Errands',
      subtasks: { total: 2, completed: 0 },
    });
    expect(byText.get('Pay rent')).toMatchObject({ recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1', allDay: true, category: 'Errands' });
    expect(byText.get('Pay rent')?.dueDate).toMatch(/^\d{4}-\d{2}-01T00:00:00\.000Z$/);
    const subtasks = (await api<{ items: Todo[] }>('GET', `/api/todos?parentId=${milk?.id}&order=manual`, { token })).body.items;
    expect(subtasks.map((todo) => [todo.text, todo.priority, todo.category, todo.parentId])).toEqual([
      ['Oat milk', 'medium', 'Errands', milk?.id],
      ['Sourdough', 'medium', 'Errands', milk?.id],
    ]);

    const again = await importFile(token, 'todoist', todoistFixture(), 'application/octet-stream');
    expect(again.body).toMatchObject({ notes: 0, todos: 0, skipped: 7 });
    expect((await api<{ items: Todo[] }>('GET', '/api/todos?limit=100', { token })).body.items).toHaveLength(5);
  });

  it('a file that is not a Todoist CSV → 400 with the reason, nothing imported', async () => {
    const { accessToken: token } = await register();
    const wrong = await importFile(token, 'todoist', 'Title,Due date\nBuy milk,tomorrow\n', 'text/csv');
    expectError(wrong, 400);
    expect(wrong.body).toMatchObject({ code: 'IMPORT_FILE_INVALID', message: expect.stringContaining('not a Todoist CSV') });
    const binary = await importFile(token, 'todoist', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0xff]), 'application/octet-stream');
    expect(binary.body).toMatchObject({ statusCode: 400, code: 'IMPORT_FILE_INVALID' });
    expect((await api<{ items: Todo[] }>('GET', '/api/todos', { token })).body.items).toEqual([]);
  });
});
