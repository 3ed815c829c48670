import type { Note, Todo, User } from '@micronote/contracts';
import { notesV1, todosV1, userV1 } from '@micronote/proto';
import { toRestNote, toRestTodo, toRestTodoStats } from '@micronote/server-core';
import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { strToU8, zipSync } from 'fflate';

import type { RequestContext } from '../common/decorators/request-context.decorator';
import { GrpcCaller } from '../common/grpc/grpc-caller';
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

export function todosMarkdown(todos: Todo[]): string {
  const line = (todo: Todo) => {
    const facts = [
      `priority: ${todo.priority}`,
      todo.dueDate && `due: ${todo.dueDate}`,
      todo.category && `category: ${todo.category}`,
    ].filter(Boolean);
    return `- [${todo.completed ? 'x' : ' '}] ${todo.text.replace(/\n/g, ' ')} (${facts.join(', ')})`;
  };
  return `# Todos\n\n${todos.map(line).join('\n')}\n`;
}

/**
 * The gateway's compositions over several services: stats (notes and todos in parallel), the
 * export document (profile, notes, todos) as JSON or a Markdown zip, and the idempotent import.
 */
@Injectable()
export class AccountDataService implements OnModuleInit {
  private users!: userV1.UserServiceClient;
  private notes!: notesV1.NotesServiceClient;
  private todos!: todosV1.TodosServiceClient;

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
  }

  async stats(userId: string, ctx: RequestContext) {
    const [notes, todos] = await Promise.all([
      this.grpc.call(this.notes, 'getNoteStats', { userId }, ctx),
      this.grpc.call(this.todos, 'getTodoStats', { userId }, ctx),
    ]);
    return { notes, todos: toRestTodoStats(todos) };
  }

  async exportJson(userId: string, ctx: RequestContext, now = new Date()): Promise<ExportDocument> {
    const [user, notes, todos] = await Promise.all([
      this.grpc.call(this.users, 'getUser', { userId }, ctx),
      this.grpc.collect(this.notes, 'exportNotes', { userId }, ctx),
      this.grpc.collect(this.todos, 'exportTodos', { userId }, ctx),
    ]);
    return {
      format: 'micronote-export',
      version: 1,
      exportedAt: now.toISOString(),
      user,
      notes: notes.map(toRestNote),
      todos: todos.map(toRestTodo),
    };
  }

  /** A zip: `notes/<title>-<id>.md` per note (front matter + Markdown) and `todos.md`. */
  async exportMarkdownZip(userId: string, ctx: RequestContext): Promise<Buffer> {
    const document = await this.exportJson(userId, ctx);
    const files: Record<string, Uint8Array> = { 'todos.md': strToU8(todosMarkdown(document.todos)) };
    for (const note of document.notes) files[fileName(note)] = strToU8(noteMarkdown(note));
    return Buffer.from(zipSync(files, { level: 6 }));
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
    }));
    const [notesResult, todosResult] = await Promise.all([
      this.grpc.call(this.notes, 'importNotes', { userId, notes }, ctx),
      this.grpc.call(this.todos, 'importTodos', { userId, todos }, ctx),
    ]);
    return { notes: notesResult.created, todos: todosResult.created };
  }
}
