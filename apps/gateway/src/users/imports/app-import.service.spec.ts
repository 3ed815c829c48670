import type { notesV1 } from '@micronote/proto';

import type { RequestContext } from '../../common/decorators/request-context.decorator';
import type { GrpcCaller } from '../../common/grpc/grpc-caller';
import { enexFixture, zipFixture } from './__fixtures__/fixtures';
import { AppImportService, capWarnings, IMPORT_CALL_BYTES, importBatches } from './app-import.service';
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

/** The service with a notes-service that creates what it has not seen (by id), like ImportNotes. */
function serviceWithNotes() {
  const stored = new Set<string>();
  const calls: notesV1.ImportNotesRequest[] = [];
  const grpc = {
    call: jest.fn(async (_client: unknown, method: string, request: notesV1.ImportNotesRequest) => {
      expect(method).toBe('importNotes');
      calls.push(request);
      const fresh = request.notes.filter((n) => !stored.has(`${n.id}:${n.createdAt}`));
      fresh.forEach((n) => stored.add(`${n.id}:${n.createdAt}`));
      return { created: fresh.length, skipped: request.notes.length - fresh.length };
    }),
  };
  const service = new AppImportService({ getService: () => ({}) } as never, grpc as unknown as GrpcCaller);
  service.onModuleInit();
  return { service, calls };
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
    expect(() => service.parse('enex', new TextEncoder().encode('<en-export><note>'))).toThrow(expect.objectContaining({ code: IMPORT_FILE_INVALID }));
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

describe('capWarnings', () => {
  it('keeps the first ones and counts the rest', () => {
    expect(capWarnings(['a', 'b', 'c'], 2)).toEqual(['a', 'b', '… and 1 more']);
    expect(capWarnings(['a'], 2)).toEqual(['a']);
  });
});
