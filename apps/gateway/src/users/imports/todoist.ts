import type { TodoPriority } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';
import { canonicalTimeZone, DomainError } from '@micronote/server-core';

import { csvText, isBlankRow, parseCsv } from './csv';
import { IMPORT_LIMITS } from './import-limits';
import type { ParsedFile } from './imported-note';
import { sourceIdOf, truncate } from './imported-note';
import { invalidFile } from './imports.errors';
import type { DateContext } from './todoist-dates';
import { parseTodoistDate } from './todoist-dates';
import { baseName, isJunk, readZip } from './zip';

/** A todo as the Todoist parser found it, already within MicroNote's limits. */
export interface ParsedTodo {
  /** `todoist:…`, stable across imports of the same file: the idempotency key with `createdAt`. */
  sourceId: string;
  /** The sourceId of the task it is a subtask of (earlier in the same file). */
  parentSourceId?: string;
  text: string;
  priority: TodoPriority;
  dueDate?: string;
  allDay: boolean;
  recurrence?: string;
  category?: string;
  createdAt: Date;
}

/**
 * Todoist's PRIORITY as MicroNote's. The CSV writes the priority as Todoist shows it: 1 = p1
 * (highest, red) … 4 = p4 (no priority), and an empty cell is p1 (Todoist's own import reads it so).
 * MicroNote has three: p1 and p2 are high, p3 and p4 (no priority) are MicroNote's default medium,
 * so a task nobody flagged stays unflagged; nothing becomes low.
 */
export const TODOIST_PRIORITIES: Record<string, TodoPriority> = { '': 'high', '1': 'high', '2': 'high', '3': 'medium', '4': 'medium' };

const REQUIRED = ['TYPE', 'CONTENT'];

/** One file's cells by column name. */
type Cells = (row: readonly string[], column: string) => string;

function headerOf(rows: string[][], origin: string): Cells {
  const header = (rows[0] ?? []).map((name) => name.trim().toUpperCase());
  if (!REQUIRED.every((name) => header.includes(name))) {
    const found = (rows[0] ?? []).join(',').slice(0, 80);
    invalidFile(
      `${origin} is not a Todoist CSV: its first line must be the header TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,… (found “${found}”)`,
    );
  }
  const index = new Map(header.map((name, i) => [name, i]));
  return (row, column) => {
    const i = index.get(column);
    return i === undefined ? '' : (row[i] ?? '');
  };
}

const oneLine = (value: string) => value.replace(/\s+/g, ' ').trim();

/** Counts of what a file had that MicroNote does not keep, said once per kind. */
interface Tally {
  notes: number;
  descriptions: number;
  deeper: number;
}

/** One CSV (a project): its tasks as todos, in order. */
function parseProject(
  bytes: Uint8Array,
  origin: string,
  project: string | undefined,
  createdAt: Date,
  now: Date,
  tally: Tally,
  warnings: string[],
) {
  const text = csvText(bytes);
  if (text.trim() === '') invalidFile(`${origin} is empty: a Todoist CSV starts with the header TYPE,CONTENT,…`);
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const rows = parseCsv(text, IMPORT_LIMITS.maxCsvRows, delimiter);
  const cell = headerOf(rows, origin);
  const todos: ParsedTodo[] = [];
  let skipped = 0;
  let section: string | undefined;
  let parent: { todo: ParsedTodo; subtasks: number } | undefined;
  rows.slice(1).forEach((row, i) => {
    const line = `${origin} row ${i + 2}`;
    if (isBlankRow(row)) return;
    const type = cell(row, 'TYPE').trim().toLowerCase();
    const content = oneLine(cell(row, 'CONTENT'));
    if (type === 'note') {
      tally.notes++;
      return;
    }
    if (type === 'section') {
      section = content ? category(content, line, warnings) : undefined;
      parent = undefined;
      return;
    }
    if (type !== 'task') {
      warnings.push(`${line}: TYPE “${truncate(type, 20)}” is not task, section or note; left out`);
      skipped++;
      return;
    }
    if (!content) {
      warnings.push(`${line}: a task without CONTENT; left out`);
      skipped++;
      return;
    }
    if (cell(row, 'DESCRIPTION').trim()) tally.descriptions++;
    const priorityCell = cell(row, 'PRIORITY').trim();
    let priority = TODOIST_PRIORITIES[priorityCell];
    if (!priority) {
      warnings.push(`${line}: PRIORITY “${truncate(priorityCell, 10)}” is not 1 to 4; imported as medium`);
      priority = 'medium';
    }
    const indent = Number(cell(row, 'INDENT').trim() || '1');
    const date = oneLine(cell(row, 'DATE'));
    const zone = canonicalTimeZone(cell(row, 'TIMEZONE').trim()) ?? 'UTC';
    const context: DateContext = { timeZone: zone, now };
    const due = date ? parseTodoistDate(date, context) : null;
    let textOut = content;
    let dueFields: Pick<ParsedTodo, 'dueDate' | 'allDay' | 'recurrence'> = { allDay: false };
    if (date && !due) {
      warnings.push(`${line}: DATE “${truncate(date, 40)}” kept in the text (not a date or repetition MicroNote can keep)`);
      textOut = `${content} (${date})`;
    } else if (due) dueFields = { dueDate: due.dueDate, allDay: due.allDay, ...(due.recurrence ? { recurrence: due.recurrence } : {}) };
    const isSubtask = Number.isFinite(indent) && indent >= 2;
    let parentSourceId: string | undefined;
    if (isSubtask && parent && parent.subtasks < TODO_LIMITS.subtasksPerTodo) {
      parentSourceId = parent.todo.sourceId;
      parent.subtasks++;
      if (indent > 2) tally.deeper++;
      if (dueFields.recurrence) {
        // A subtask does not repeat in MicroNote (its parent can): the repetition stays as text.
        warnings.push(`${line}: a subtask does not repeat; DATE “${truncate(date, 40)}” kept in the text`);
        textOut = `${content} (${date})`;
        dueFields = { allDay: false };
      }
    } else if (isSubtask) {
      warnings.push(
        parent
          ? `${line}: more than ${TODO_LIMITS.subtasksPerTodo} subtasks under one task; imported as a top-level todo`
          : `${line}: a subtask without a task above it; imported as a top-level todo`,
      );
    }
    const points = [...textOut];
    if (points.length > TODO_LIMITS.text.max) warnings.push(`${line}: text cut to ${TODO_LIMITS.text.max} characters`);
    const todo: ParsedTodo = {
      sourceId: sourceIdOf('todoist', project ?? '', String(i), content),
      ...(parentSourceId ? { parentSourceId } : {}),
      text: truncate(textOut, TODO_LIMITS.text.max).trim(),
      priority,
      ...dueFields,
      ...((section ?? project) ? { category: section ?? project } : {}),
      createdAt,
    };
    todos.push(todo);
    if (!parentSourceId) parent = { todo, subtasks: 0 };
  });
  return { todos, skipped };
}

/** A section or project name as a category: one line, at most TODO_LIMITS.category.max code points. */
function category(name: string, origin: string, warnings: string[]): string {
  const cut = truncate(name, TODO_LIMITS.category.max).trim();
  if (cut !== name) warnings.push(`${origin}: “${name}” cut to ${TODO_LIMITS.category.max} characters as a category`);
  return cut;
}

/** A project CSV's name in a Todoist backup zip (`Work [2203306141].csv` → `Work`). */
const projectName = (path: string) =>
  baseName(path)
    .replace(/\s*\[\d+\]$/, '')
    .trim();

/**
 * Todoist's CSV export of a project ("Export as template" → CSV, relative dates off), or a zip of
 * such CSVs (Settings → Backups). Each `task` row is a todo: CONTENT its text, PRIORITY as
 * {@link TODOIST_PRIORITIES}, DATE its due date or repetition ({@link parseTodoistDate}; one
 * MicroNote cannot keep stays in the text, with a warning), the last `section` row above it (else,
 * in a zip, the project's name) its category. INDENT 2 makes it a subtask of the INDENT 1 task
 * above it; deeper ones go under that task too (MicroNote nests one level). Left out and counted
 * in a warning: `note` rows (comments) and DESCRIPTION (a todo has no description). AUTHOR,
 * RESPONSIBLE, DURATION and DEADLINE are not read. A todo's identity is its project, place and
 * CONTENT plus its creation time: the zip entry's time, else the day of the import (the CSV has no
 * creation times), so the same file imported again the same day, or the same zip any time,
 * creates nothing.
 */
export function parseTodoist(file: Uint8Array, now = new Date()): ParsedFile {
  const importDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const tally: Tally = { notes: 0, descriptions: 0, deeper: 0 };
  const warnings: string[] = [];
  const todos: ParsedTodo[] = [];
  let skipped = 0;
  if (file.length >= 4 && file[0] === 0x50 && file[1] === 0x4b && file[2] === 0x03 && file[3] === 0x04) {
    const { entries, ignored, tooLarge } = readZip(file, (path) => !isJunk(path) && /\.csv$/i.test(path));
    if (entries.length === 0 && tooLarge.length === 0) invalidFile('The zip has no Todoist CSV files (.csv)');
    let failure: DomainError | undefined;
    let failures = 0;
    for (const entry of entries) {
      try {
        const project = projectName(entry.path);
        const parsed = parseProject(
          entry.bytes,
          entry.path,
          project ? category(project, entry.path, warnings) : undefined,
          entry.modifiedAt ?? importDay,
          now,
          tally,
          warnings,
        );
        todos.push(...parsed.todos);
        skipped += parsed.skipped;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        failure ??= error;
        failures++;
        warnings.push(`${entry.path}: left out, ${error.message}`);
      }
    }
    if (failure && failures === entries.length) throw failure;
    const others = ignored.filter((path) => !isJunk(path)).length;
    if (others > 0) warnings.push(`${others} file${others === 1 ? ' that is' : 's that are'} not CSV left out`);
    for (const path of tooLarge) warnings.push(`${path}: skipped, larger than ${IMPORT_LIMITS.maxEntryBytes / 1024 / 1024} MiB`);
    skipped += tooLarge.length;
  } else {
    const parsed = parseProject(file, 'The file', undefined, importDay, now, tally, warnings);
    todos.push(...parsed.todos);
    skipped += parsed.skipped;
  }
  if (tally.deeper > 0)
    warnings.push(
      `${tally.deeper} sub-subtask${tally.deeper === 1 ? '' : 's'} (INDENT 3 or more) made subtasks of their top-level task (MicroNote nests one level)`,
    );
  if (tally.descriptions > 0)
    warnings.push(`${tally.descriptions} task description${tally.descriptions === 1 ? '' : 's'} left out (a todo has no description)`);
  if (tally.notes > 0) warnings.push(`${tally.notes} comment${tally.notes === 1 ? '' : 's'} (note rows) left out`);
  return { notes: [], todos, skipped, warnings };
}
