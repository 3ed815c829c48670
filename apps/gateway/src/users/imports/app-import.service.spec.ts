import type { notesV1, todosV1 } from '@micronote/proto';

import type { RequestContext } from '../../common/decorators/request-context.decorator';
import type { GrpcCaller } from '../../common/grpc/grpc-caller';
import { enexFixture, todoistFixture, zipFixture } from './__fixtures__/fixtures';
import { AppImportService, capWarnings, IMPORT_CALL_BYTES, importBatches, todoBatches } from './app-import.service';
import { IMPORT_FILE_INVALID } from './imports.errors';

const ctx = { requestId: 'r1' } as unknown as RequestContext;
const note = (id: string, text = ''): notesV1.Note => ({
  id,
  title: 't',
  text,
  tags: [],
  isPinned: false,
  isArchived: false,
  version: 1,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
});

/** The service with a notes-service and a todos-service that create what they have not seen (by id), like ImportNotes / ImportTodos. */
function serviceWithNotes() {
  const stored = new Set<string>();
  const calls: notesV1.ImportNotesRequest[] = [];
  const todoCalls: todosV1.ImportTodosRequest[] = [];
  const fresh = <T extends { id: string; createdAt: string }>(items: T[]) => {
    const created = items.filter((item) => !stored.has(`${item.id}:${item.createdAt}`));
    created.forEach((item) => stored.add(`${item.id}:${item.createdAt}`));
    return { created: created.length, skipped: items.length - created.length };
  };
  const grpc = {
    call: jest.fn(async (_client: unknown, method: string, request: notesV1.ImportNotesRequest | todosV1.ImportTodosRequest) => {
      if (method === 'importTodos' && 'todos' in request) {
        todoCalls.push(request);
        return fresh(request.todos);
      }
      expect(method).toBe('importNotes');
      const notes = (request as notesV1.ImportNotesRequest).notes;
      calls.push(request as notesV1.ImportNotesRequest);
      return fresh(notes);
    }),
  };
  const service = new AppImportService(
    { getService: () => ({}) } as never,
    { getService: () => ({}) } as never,
    grpc as unknown as GrpcCaller,
  );
  service.onModuleInit();
  return { service, calls, todoCalls };
}

describe(AppImportService.name, () => {
  it.each([
    ['keep', () => zipFixture('keep'), 3],
    ['enex', () => enexFixture(), 3],
    ['markdown', () => zipFixture('markdown'), 4],
  ] as const)('imports a %s file once: the second import skips every note', async (source, file, count) => {
    const { service, calls } = serviceWithNotes();
    const first = await service.import('42', source, file(), ctx);
    expect(first).toMatchObject({ notes: count, todos: 0, skipped: 0 });
    const second = await service.import('42', source, file(), ctx);
    expect(second).toMatchObject({ notes: 0, todos: 0, skipped: count });
    expect(calls.every((call) => call.userId === '42')).toBe(true);
  });

  it('imports a Todoist file as todos, subtasks naming their parent by source id; the second import skips every todo', async () => {
    const { service, calls, todoCalls } = serviceWithNotes();
    const first = await service.import('42', 'todoist', todoistFixture(), ctx);
    expect(first).toMatchObject({ notes: 0, todos: 7, skipped: 0 });
    expect(first.warnings).toContain('1 comment (note rows) left out');
    expect(calls).toEqual([]);
    const [request] = todoCalls;
    expect(request.todos.map((todo) => todo.text)).toContain('Oat milk');
    const parent = request.todos.find((todo) => todo.text.startsWith('Buy milk'));
    expect(request.todos.filter((todo) => todo.parentId === parent?.id).map((todo) => todo.text)).toEqual(['Oat milk', 'Sourdough']);
    expect(request.todos.find((todo) => todo.text === 'Water the plants @home')).toMatchObject({
      priority: 'medium',
      allDay: true,
      recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    });
    expect(await service.import('42', 'todoist', todoistFixture(), ctx)).toMatchObject({ notes: 0, todos: 0, skipped: 7 });
  });

  it('refuses a Todoist file of more than 10,000 tasks with 400', async () => {
    const { service, todoCalls } = serviceWithNotes();
    const file = new TextEncoder().encode(`TYPE,CONTENT,PRIORITY,INDENT\n${'task,x,4,1\n'.repeat(10_001)}`);
    await expect(service.import('42', 'todoist', file, ctx)).rejects.toMatchObject({
      code: IMPORT_FILE_INVALID,
      message: expect.stringContaining('at most 10,000'),
    });
    expect(todoCalls).toEqual([]);
  });

  it('says so when a Todoist file has no tasks', async () => {
    const { service } = serviceWithNotes();
    const file = new TextEncoder().encode('TYPE,CONTENT,PRIORITY,INDENT\nnote,just a comment,,');
    expect(await service.import('42', 'todoist', file, ctx)).toEqual({
      notes: 0,
      todos: 0,
      skipped: 0,
      warnings: ['1 comment (note rows) left out', 'The file has no tasks'],
    });
  });

  it('counts notes it cannot take as skipped', async () => {
    const { service } = serviceWithNotes();
    const { zipOf } = await import('./__fixtures__/fixtures');
    const file = zipOf({ 'a.md': 'fine', 'b.md': 'x'.repeat(100_001) });
    expect(await service.import('42', 'markdown', file, ctx)).toEqual({
      notes: 1,
      todos: 0,
      skipped: 1,
      warnings: ['b.md: skipped, its text has 100,001 characters (at most 100,000)'],
    });
  });

  it('answers an unreadable file with 400 and its reason, never an unexpected error', () => {
    const { service } = serviceWithNotes();
    expect(() => service.parse('enex', new TextEncoder().encode('<en-export><note>'))).toThrow(
      expect.objectContaining({ code: IMPORT_FILE_INVALID }),
    );
    expect(() => service.parse('keep', new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ code: IMPORT_FILE_INVALID }));
  });
});

describe('importBatches', () => {
  it('keeps each call under the note count and the byte budget', () => {
    const small = Array.from({ length: 1_001 }, (_, i) => note(`n${i}`));
    expect(importBatches(small).map((b) => b.length)).toEqual([500, 500, 1]);
    const large = Array.from({ length: 30 }, (_, i) => note(`l${i}`, 'x'.repeat(400_000)));
    const batches = importBatches(large);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(batch.reduce((sum, n) => sum + n.text.length, 0)).toBeLessThanOrEqual(IMPORT_CALL_BYTES);
    expect(batches.flat()).toHaveLength(30);
  });
});

describe('todoBatches', () => {
  const todo = (id: string, parentId?: string) => ({ id, parentId }) as todosV1.Todo;
  it('keeps a task and its subtasks in one call', () => {
    const family = (n: number) => [todo(`p${n}`), ...Array.from({ length: 200 }, (_, i) => todo(`s${n}-${i}`, `p${n}`))];
    const batches = todoBatches([...family(1), ...family(2), ...family(3)]);
    expect(batches.map((batch) => batch.length)).toEqual([402, 201]);
    expect(todoBatches(Array.from({ length: 1_001 }, (_, i) => todo(`t${i}`))).map((batch) => batch.length)).toEqual([500, 500, 1]);
  });
});

describe('capWarnings', () => {
  it('keeps the first ones and counts the rest', () => {
    expect(capWarnings(['a', 'b', 'c'], 2)).toEqual(['a', 'b', '… and 1 more']);
    expect(capWarnings(['a'], 2)).toEqual(['a']);
  });
});
