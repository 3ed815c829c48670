import { setImmediate as nextTurn } from 'node:timers/promises';

import type { ImportFromAppResponse, ImportSource } from '@micronote/contracts';
import { notesV1, todosV1 } from '@micronote/proto';
import { DomainError, GRPC_MAX_MESSAGE_BYTES } from '@micronote/server-core';
import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';

import type { RequestContext } from '../../common/decorators/request-context.decorator';
import { GrpcCaller } from '../../common/grpc/grpc-caller';
import { parseEnex } from './enex';
import { IMPORT_LIMITS } from './import-limits';
import type { ParsedFile } from './imported-note';
import { messageBytes, toImportMessage } from './imported-note';
import { ImportErrors } from './imports.errors';
import { parseKeepTakeout } from './keep';
import { parseMarkdownZip } from './markdown-zip';
import type { ParsedTodo } from './todoist';
import { parseTodoist } from './todoist';

/** One ImportNotes call carries at most this many notes and bytes: well under the gRPC message limit. */
export const IMPORT_CALL_NOTES = 500;
export const IMPORT_CALL_BYTES = GRPC_MAX_MESSAGE_BYTES / 2;

/** Consecutive batches of notes within IMPORT_CALL_NOTES and IMPORT_CALL_BYTES (a note alone always fits: ≤ 400 KB). */
export function importBatches(
  notes: readonly notesV1.Note[],
  maxNotes = IMPORT_CALL_NOTES,
  maxBytes = IMPORT_CALL_BYTES,
): notesV1.Note[][] {
  const batches: notesV1.Note[][] = [];
  let batch: notesV1.Note[] = [];
  let bytes = 0;
  for (const note of notes) {
    const size = messageBytes(note);
    if (batch.length > 0 && (batch.length >= maxNotes || bytes + size > maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(note);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Consecutive batches of at most `maxTodos` todos, a task and its subtasks always in one batch
 * (ImportTodos finds a subtask's parent in the same request; a family is at most 201 todos).
 */
export function todoBatches(todos: readonly todosV1.Todo[], maxTodos = IMPORT_CALL_NOTES): todosV1.Todo[][] {
  const families: todosV1.Todo[][] = [];
  for (const todo of todos) {
    if (todo.parentId && families.length > 0) families[families.length - 1].push(todo);
    else families.push([todo]);
  }
  const batches: todosV1.Todo[][] = [];
  for (const family of families) {
    const last = batches[batches.length - 1];
    if (last && last.length + family.length <= maxTodos) last.push(...family);
    else batches.push([...family]);
  }
  return batches;
}

/** A parsed todo as the ImportTodos message carries it: `parentId` is its parent's source id (in the same request). */
export function toTodoMessage(todo: ParsedTodo): todosV1.Todo {
  const createdAt = todo.createdAt.toISOString();
  return {
    id: todo.sourceId,
    text: todo.text,
    completed: false,
    priority: todo.priority,
    dueDate: todo.dueDate,
    category: todo.category,
    version: 1,
    createdAt,
    updatedAt: createdAt,
    allDay: todo.allDay,
    parentId: todo.parentSourceId,
    position: '',
    subtasksTotal: 0,
    subtasksCompleted: 0,
    recurrence: todo.recurrence,
  };
}

/** At most IMPORT_LIMITS.maxWarnings lines, the rest counted in one more. */
export function capWarnings(warnings: readonly string[], max: number = IMPORT_LIMITS.maxWarnings): string[] {
  if (warnings.length <= max) return [...warnings];
  return [...warnings.slice(0, max), `… and ${warnings.length - max} more`];
}

const PARSERS: Record<ImportSource, (file: Uint8Array, now: Date) => ParsedFile> = {
  keep: parseKeepTakeout,
  enex: (file) => parseEnex(file),
  markdown: parseMarkdownZip,
  todoist: parseTodoist,
};

/**
 * `POST /api/users/me/import?from=keep|enex|markdown|todoist`: reads another app's file in the
 * gateway (pure parsers, one per format), fits each note to MicroNote's limits, and hands them to
 * the notes-service's ImportNotes in batches under the gRPC message size; a to-do app's tasks
 * (todoist) go to the todos-service's ImportTodos the same way, each task with its subtasks in
 * one batch. Each item carries a stable source id, so importing the same file again creates
 * nothing and counts every item as skipped.
 */
@Injectable()
export class AppImportService implements OnModuleInit {
  private readonly logger = new Logger(AppImportService.name);
  private notes!: notesV1.NotesServiceClient;
  private todos!: todosV1.TodosServiceClient;

  constructor(
    @Inject(notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME) private readonly notesClient: ClientGrpc,
    @Inject(todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME) private readonly todosClient: ClientGrpc,
    private readonly grpc: GrpcCaller,
  ) {}

  onModuleInit(): void {
    this.notes = this.notesClient.getService<notesV1.NotesServiceClient>(notesV1.NOTES_SERVICE_NAME);
    this.todos = this.todosClient.getService<todosV1.TodosServiceClient>(todosV1.TODOS_SERVICE_NAME);
  }

  /** The file as notes: a DomainError (400) with the reason when it cannot be read, whatever went wrong. */
  parse(source: ImportSource, file: Uint8Array, now = new Date()): ParsedFile {
    try {
      return PARSERS[source](file, now);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      this.logger.warn(`a ${source} import could not be read: ${(error as Error)?.message ?? String(error)}`);
      throw ImportErrors.invalid(`The file cannot be read as ${source}: ${(error as Error)?.message || 'unexpected content'}`);
    }
  }

  async import(userId: string, source: ImportSource, file: Uint8Array, ctx: RequestContext): Promise<ImportFromAppResponse> {
    const parsed = this.parse(source, file);
    if (parsed.todos) return this.importTodos(userId, parsed.todos, parsed, ctx);
    if (parsed.notes.length > IMPORT_LIMITS.maxNotes) {
      throw ImportErrors.invalid(
        `The file has ${parsed.notes.length.toLocaleString('en')} notes; one import takes at most ${IMPORT_LIMITS.maxNotes.toLocaleString('en')}`,
      );
    }
    const warnings = [...parsed.warnings];
    const messages = parsed.notes.map((note) => toImportMessage(note, warnings)).filter((note): note is notesV1.Note => note !== null);
    let notes = 0;
    let skipped = parsed.skipped + (parsed.notes.length - messages.length);
    for (const batch of importBatches(messages)) {
      const result = await this.grpc.call(this.notes, 'importNotes', { userId, notes: batch }, ctx);
      notes += result.created;
      skipped += result.skipped;
      await nextTurn();
    }
    if (parsed.notes.length === 0) warnings.push('The file has no notes');
    return { notes, todos: 0, skipped, ...(warnings.length > 0 ? { warnings: capWarnings(warnings) } : {}) };
  }

  private async importTodos(userId: string, parsed: ParsedTodo[], file: ParsedFile, ctx: RequestContext): Promise<ImportFromAppResponse> {
    if (parsed.length > IMPORT_LIMITS.maxTodos) {
      throw ImportErrors.invalid(
        `The file has ${parsed.length.toLocaleString('en')} tasks; one import takes at most ${IMPORT_LIMITS.maxTodos.toLocaleString('en')}`,
      );
    }
    const warnings = [...file.warnings];
    let todos = 0;
    let skipped = file.skipped;
    for (const batch of todoBatches(parsed.map(toTodoMessage))) {
      const result = await this.grpc.call(this.todos, 'importTodos', { userId, todos: batch }, ctx);
      todos += result.created;
      skipped += result.skipped;
      await nextTurn();
    }
    if (parsed.length === 0) warnings.push('The file has no tasks');
    return { notes: 0, todos, skipped, ...(warnings.length > 0 ? { warnings: capWarnings(warnings) } : {}) };
  }
}
