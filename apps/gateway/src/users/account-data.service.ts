import { once } from 'node:events';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { crc32, createDeflateRaw } from 'node:zlib';

import type { Note, Todo, User } from '@micronote/contracts';
import { notesV1, todosV1, userV1 } from '@micronote/proto';
import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import type { ZipInputFile } from 'fflate';
import { Zip } from 'fflate';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { toRestNote, toRestTodo, toRestTodoStats, toRestUser } from '../common/rest/rest-shapes';
import type { ImportDocumentDto } from './dto/import.dto';

export interface ExportDocument {
  format: 'micronote-export';
  version: 1;
  exportedAt: string;
  user: User;
  notes: Note[];
  todos: Todo[];
}

/** A file name from a title: letters, digits, dashes; unique by the note id. */
function fileName(note: Note): string {
  const slug = note.title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60);
  return `notes/${slug || 'note'}-${note.id}.md`;
}

function yamlString(value: string): string {
  return JSON.stringify(value);
}

export function noteMarkdown(note: Note): string {
  const front = [
    '---',
    `id: ${yamlString(note.id)}`,
    `title: ${yamlString(note.title)}`,
    `tags: [${note.tags.map(yamlString).join(', ')}]`,
    `pinned: ${note.isPinned}`,
    `archived: ${note.isArchived}`,
    `createdAt: ${note.createdAt}`,
    `updatedAt: ${note.updatedAt}`,
    ...(note.deletedAt ? [`deletedAt: ${note.deletedAt}`] : []),
    '---',
  ];
  return `${front.join('\n')}\n\n# ${note.title}\n\n${note.text}\n`;
}

function todoLine(todo: Todo): string {
  const facts = [
    `priority: ${todo.priority}`,
    todo.dueDate && `due: ${todo.dueDate}`,
    todo.category && `category: ${todo.category}`,
  ].filter(Boolean);
  return `- [${todo.completed ? 'x' : ' '}] ${todo.text.replace(/\n/g, ' ')} (${facts.join(', ')})`;
}

/** Characters of todo lines deflated at once into `todos.md`. */
const TODOS_CHUNK_CHARS = 64 * 1024;

/**
 * One deflated entry of a streamed zip (fflate's `Zip` writes the headers, the data descriptor
 * and the central directory): the bytes are deflated by node's zlib on libuv's thread pool, not
 * on the event loop (fflate's own ZipDeflate is JavaScript: tens of ms per 100 KB note under load).
 */
class DeflatedEntry {
  private readonly file: ZipInputFile;
  private readonly deflater = createDeflateRaw({ level: 6 });
  private size = 0;
  private crc = 0;

  constructor(zip: Zip, filename: string) {
    this.file = { filename, compression: 8, size: 0, crc: 0 };
    zip.add(this.file);
    this.deflater.on('data', (chunk: Buffer) =>
      this.file.ondata?.(null, new Uint8Array(chunk.buffer as ArrayBuffer, chunk.byteOffset, chunk.byteLength), false),
    );
  }

  async write(text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    this.size += bytes.length;
    this.crc = crc32(bytes, this.crc);
    if (!this.deflater.write(bytes)) await once(this.deflater, 'drain');
  }

  async end(): Promise<void> {
    const ended = once(this.deflater, 'end');
    this.deflater.end();
    await ended;
    this.file.size = this.size;
    this.file.crc = this.crc;
    this.file.ondata?.(null, new Uint8Array(0), true);
  }
}

/**
 * The Markdown zip, produced while it is read: one deflated entry per note (`notes/<title>-<id>.md`,
 * front matter + Markdown), then `todos.md`, then the central directory. The next note is only
 * pulled from `notes` when the reader wants more, and deflating happens off the event loop, so a
 * 100 MB account is neither held in memory nor zipped in one blocking run.
 */
export async function* markdownZipChunks(notes: AsyncIterable<notesV1.Note>, todos: AsyncIterable<todosV1.Todo>): AsyncGenerator<Buffer> {
  const pending: Buffer[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, data) => {
    if (error) failure = error;
    else pending.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
  function* flush(): Generator<Buffer> {
    if (failure) throw failure;
    while (pending.length > 0) yield pending.shift() as Buffer;
  }
  for await (const message of notes) {
    const note = toRestNote(message);
    const entry = new DeflatedEntry(zip, fileName(note));
    await entry.write(noteMarkdown(note));
    await entry.end();
    yield* flush();
  }
  const todosEntry = new DeflatedEntry(zip, 'todos.md');
  let text = '# Todos\n\n';
  let first = true;
  for await (const message of todos) {
    text += `${first ? '' : '\n'}${todoLine(toRestTodo(message))}`;
    first = false;
    if (text.length >= TODOS_CHUNK_CHARS) {
      await todosEntry.write(text);
      text = '';
      yield* flush();
    }
  }
  await todosEntry.write(`${text}\n`);
  await todosEntry.end();
  zip.end();
  yield* flush();
}

/** The JSON export document, produced while it is read (same shape as {@link ExportDocument}). */
export async function* exportJsonChunks(
  header: Pick<ExportDocument, 'exportedAt' | 'user'>,
  notes: AsyncIterable<notesV1.Note>,
  todos: AsyncIterable<todosV1.Todo>,
): AsyncGenerator<string> {
  yield `{"format":"micronote-export","version":1,"exportedAt":${JSON.stringify(header.exportedAt)},"user":${JSON.stringify(header.user)},"notes":[`;
  let first = true;
  for await (const note of notes) {
    yield `${first ? '' : ','}${JSON.stringify(toRestNote(note))}`;
    first = false;
    await nextTurn();
  }
  yield '],"todos":[';
  first = true;
  for await (const todo of todos) {
    yield `${first ? '' : ','}${JSON.stringify(toRestTodo(todo))}`;
    first = false;
  }
  yield ']}';
}

/** `first` (already read) followed by the rest of `rest`. */
async function* resumed<T>(first: IteratorResult<T, void>, rest: AsyncGenerator<T, void, undefined>): AsyncGenerator<T, void, undefined> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}

/**
 * The gateway's compositions over several services: stats (notes and todos in parallel), the
 * export (profile, notes, todos) streamed as JSON or a Markdown zip, and the idempotent import.
 */
@Injectable()
export class AccountDataService implements OnModuleInit {
  private readonly logger = new Logger(AccountDataService.name);
  private users!: userV1.UserServiceClient;
  private notes!: notesV1.NotesServiceClient;
  private todos!: todosV1.TodosServiceClient;
  /** The raw grpc-js clients, for the export streams (read with backpressure). */
  private notesStreams!: object;
  private todosStreams!: object;

  constructor(
    @Inject(userV1.MICRONOTE_USER_V1_PACKAGE_NAME) private readonly userClient: ClientGrpc,
    @Inject(notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME) private readonly notesClient: ClientGrpc,
    @Inject(todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME) private readonly todosClient: ClientGrpc,
    private readonly grpc: GrpcCaller,
  ) {}

  onModuleInit(): void {
    this.users = this.userClient.getService<userV1.UserServiceClient>(userV1.USER_SERVICE_NAME);
    this.notes = this.notesClient.getService<notesV1.NotesServiceClient>(notesV1.NOTES_SERVICE_NAME);
    this.todos = this.todosClient.getService<todosV1.TodosServiceClient>(todosV1.TODOS_SERVICE_NAME);
    this.notesStreams = this.notesClient.getClientByServiceName<object>(notesV1.NOTES_SERVICE_NAME);
    this.todosStreams = this.todosClient.getClientByServiceName<object>(todosV1.TODOS_SERVICE_NAME);
  }

  async stats(userId: string, ctx: RequestContext) {
    const [notes, todos] = await Promise.all([
      this.grpc.call(this.notes, 'getNoteStats', { userId }, ctx),
      this.grpc.call(this.todos, 'getTodoStats', { userId, timeZone: '' }, ctx),
    ]);
    return { notes, todos: toRestTodoStats(todos) };
  }

  /** The JSON document, streamed. */
  async exportJson(userId: string, ctx: RequestContext, now = new Date()): Promise<Readable> {
    const user = toRestUser(await this.grpc.call(this.users, 'getUser', { userId }, ctx));
    const { notes, todos } = await this.openExportStreams(userId, ctx);
    return this.readable(exportJsonChunks({ exportedAt: now.toISOString(), user }, notes, todos), userId);
  }

  /** A zip, streamed: `notes/<title>-<id>.md` per note (front matter + Markdown) and `todos.md`. */
  async exportMarkdownZip(userId: string, ctx: RequestContext): Promise<Readable> {
    const { notes, todos } = await this.openExportStreams(userId, ctx);
    return this.readable(markdownZipChunks(notes, todos), userId);
  }

  /**
   * Opens both export streams and waits for their first message (or end), so a downstream that
   * is down or refuses answers a proper error before any byte of the download is sent. Later
   * failures can only cut the download short (the client sees an incomplete body).
   */
  private async openExportStreams(userId: string, ctx: RequestContext) {
    const open: AsyncGenerator<unknown, void, undefined>[] = [];
    try {
      const notes = await this.grpc.stream<notesV1.NotesServiceClient, 'exportNotes'>(this.notesStreams, 'exportNotes', { userId }, ctx);
      open.push(notes);
      const todos = await this.grpc.stream<todosV1.TodosServiceClient, 'exportTodos'>(this.todosStreams, 'exportTodos', { userId }, ctx);
      open.push(todos);
      const [firstNote, firstTodo] = await Promise.all([notes.next(), todos.next()]);
      return { notes: resumed(firstNote, notes), todos: resumed(firstTodo, todos) };
    } catch (error) {
      await Promise.all(open.map((stream) => stream.return(undefined).catch(() => undefined)));
      throw error;
    }
  }

  private readable(chunks: AsyncGenerator<Buffer | string>, userId: string): Readable {
    const stream = Readable.from(chunks, { objectMode: false, highWaterMark: 256 * 1024 });
    stream.on('error', (error: Error) => this.logger.warn(`export of user ${userId} cut short: ${error.message}`));
    return stream;
  }

  async import(userId: string, document: ImportDocumentDto, ctx: RequestContext): Promise<{ notes: number; todos: number }> {
    const notes: notesV1.Note[] = document.notes.map((n) => ({
      ...n,
      tags: n.tags ?? [],
      isPinned: n.isPinned ?? false,
      version: n.version ?? 1,
      deletedAt: n.deletedAt ?? undefined,
    }));
    const todos: todosV1.Todo[] = document.todos.map((t) => ({
      ...t,
      priority: t.priority ?? 'medium',
      version: t.version ?? 1,
      dueDate: t.dueDate ?? undefined,
      category: t.category ?? undefined,
      completedAt: t.completedAt ?? undefined,
      // Imported todos land in no list (lists are not part of an export), at the top level
      // (a subtask comes in as a todo of its own), after the user's own todos.
      listId: undefined,
      allDay: t.allDay ?? false,
      parentId: undefined,
      position: '',
      subtasksTotal: 0,
      subtasksCompleted: 0,
      recurrence: t.recurrence ?? undefined,
      remindAt: t.remindAt ?? undefined,
    }));
    const [notesResult, todosResult] = await Promise.all([
      this.grpc.call(this.notes, 'importNotes', { userId, notes }, ctx),
      this.grpc.call(this.todos, 'importTodos', { userId, todos }, ctx),
    ]);
    return { notes: notesResult.created, todos: todosResult.created };
  }
}
