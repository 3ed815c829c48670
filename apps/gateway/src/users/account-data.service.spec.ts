import type { notesV1, todosV1 } from '@micronote/proto';
import { strFromU8, unzipSync } from 'fflate';

import { exportJsonChunks, markdownZipChunks } from './account-data.service';

const note = (i: number, text = `text ${i}`): notesV1.Note => ({
  id: String(i),
  title: `Note ${i}`,
  text,
  tags: ['t'],
  isPinned: false,
  isArchived: false,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const todo = (i: number): todosV1.Todo => ({
  id: String(i),
  text: `todo ${i}`,
  completed: i % 2 === 0,
  priority: 'high',
  allDay: false,
  position: 'a0',
  subtasksTotal: 0,
  subtasksCompleted: 0,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** A source that counts how many items were pulled from it. */
function source<T>(items: (i: number) => T, count: number) {
  const state = { pulled: 0, closed: false };
  async function* generate() {
    try {
      for (let i = 1; i <= count; i++) {
        state.pulled = i;
        yield items(i);
      }
    } finally {
      state.closed = true;
    }
  }
  return { stream: generate(), state };
}

async function collect<T extends Buffer | string>(chunks: AsyncGenerator<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

describe('account export streams', () => {
  it('zips every note as Markdown plus todos.md, a valid zip', async () => {
    const notes = source((i) => note(i), 120);
    const todos = source(todo, 3);
    const zip = unzipSync(new Uint8Array(Buffer.concat(await collect(markdownZipChunks(notes.stream, todos.stream)))));
    const names = Object.keys(zip);
    expect(names.filter((n) => n.startsWith('notes/'))).toHaveLength(120);
    expect(strFromU8(zip['notes/Note-7-7.md'])).toContain('# Note 7\n\ntext 7\n');
    expect(strFromU8(zip['todos.md'])).toBe(
      '# Todos\n\n- [ ] todo 1 (priority: high)\n- [x] todo 2 (priority: high)\n- [ ] todo 3 (priority: high)\n',
    );
  });

  it('writes an empty todos.md as before', async () => {
    const zip = unzipSync(new Uint8Array(Buffer.concat(await collect(markdownZipChunks(source(note, 0).stream, source(todo, 0).stream)))));
    expect(strFromU8(zip['todos.md'])).toBe('# Todos\n\n\n');
  });

  it('pulls notes only as fast as the zip is read (never the whole account at once), and closes the source when the reader stops', async () => {
    const notes = source((i) => note(i, 'x'.repeat(50_000)), 1_000);
    const chunks = markdownZipChunks(notes.stream, source(todo, 0).stream);
    await chunks.next();
    await chunks.next();
    expect(notes.state.pulled).toBeLessThanOrEqual(2);
    await chunks.return(undefined);
    expect(notes.state.closed).toBe(true);
    expect(notes.state.pulled).toBeLessThanOrEqual(2);
  });

  it('streams the JSON document in the shape of the former one', async () => {
    const text = (
      await collect(
        exportJsonChunks(
          { exportedAt: '2026-12-01T00:00:00.000Z', user: { id: '1' } as never },
          source(note, 2).stream,
          source(todo, 1).stream,
        ),
      )
    ).join('');
    expect(JSON.parse(text)).toEqual({
      format: 'micronote-export',
      version: 1,
      exportedAt: '2026-12-01T00:00:00.000Z',
      user: { id: '1' },
      notes: [expect.objectContaining({ id: '1', deletedAt: null }), expect.objectContaining({ id: '2' })],
      todos: [expect.objectContaining({ id: '1', completed: false, dueDate: null })],
    });
  });
});
