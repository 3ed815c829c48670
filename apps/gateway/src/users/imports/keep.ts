import type { ParsedFile, ParsedNote } from './imported-note';
import { sourceIdOf, validDate } from './imported-note';
import { invalidFile } from './imports.errors';
import { entryText, isJunk, readZip } from './zip';

/** What MicroNote reads of one Google Keep note (`Takeout/Keep/<note>.json`). */
interface KeepNote {
  title?: string;
  textContent?: string;
  listContent?: { text?: string; isChecked?: boolean }[];
  labels?: { name?: string }[];
  attachments?: unknown[];
  isPinned?: boolean;
  isArchived?: boolean;
  isTrashed?: boolean;
  createdTimestampUsec?: number;
  userEditedTimestampUsec: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The reason `value` is not a Keep note, or null when it is one. */
function keepProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not a JSON object';
  if (typeof value['userEditedTimestampUsec'] !== 'number') return 'userEditedTimestampUsec missing';
  if (value['title'] !== undefined && typeof value['title'] !== 'string') return 'title is not a string';
  const text = value['textContent'];
  const list = value['listContent'];
  if (text === undefined && list === undefined) return 'neither textContent nor listContent';
  if (text !== undefined && typeof text !== 'string') return 'textContent is not a string';
  if (list !== undefined && (!Array.isArray(list) || !list.every((item) => isObject(item) && typeof item['text'] === 'string'))) {
    return 'listContent is not a list of {text, isChecked}';
  }
  const labels = value['labels'];
  if (labels !== undefined && (!Array.isArray(labels) || !labels.every((label) => isObject(label) && typeof label['name'] === 'string'))) {
    return 'labels is not a list of {name}';
  }
  for (const flag of ['isPinned', 'isArchived', 'isTrashed']) {
    if (value[flag] !== undefined && typeof value[flag] !== 'boolean') return `${flag} is not true or false`;
  }
  if (value['createdTimestampUsec'] !== undefined && typeof value['createdTimestampUsec'] !== 'number') return 'createdTimestampUsec is not a number';
  return null;
}

/** A Keep checklist as a Markdown task list: `- [ ] milk`, `- [x] eggs`. */
export function keepChecklist(items: { text?: string; isChecked?: boolean }[]): string {
  return items.map((item) => `- [${item.isChecked ? 'x' : ' '}] ${(item.text ?? '').replace(/\s*\n\s*/g, ' ').trim()}`).join('\n');
}

/** The notes' JSON files: those in a `Keep/` folder when there is one (a Takeout of several products), else every .json. */
function noteEntries(paths: string[]): Set<string> {
  const inKeep = paths.filter((path) => path.split('/').slice(0, -1).includes('Keep'));
  return new Set(inKeep.length > 0 ? inKeep : paths);
}

/**
 * A Google Takeout zip of Keep: one JSON file per note. Title, text (a checklist becomes a task
 * list), labels as tags, pinned, archived, trashed (a trashed note goes to the trash, dated now,
 * so it is kept the trash's 30 days), created and edited times. Keep's HTML copies and
 * attachments are left out with a warning. A JSON file that is not a Keep note makes the whole
 * file a 400 naming it: a Takeout of Keep never has one, so it is the wrong file.
 */
export function parseKeepTakeout(zip: Uint8Array, now = new Date()): ParsedFile {
  const { entries, ignored, tooLarge } = readZip(zip, (path) => !isJunk(path) && path.toLowerCase().endsWith('.json'));
  const chosen = noteEntries(entries.map((entry) => entry.path));
  const warnings: string[] = [];
  const notes: ParsedNote[] = [];
  for (const entry of entries) {
    if (!chosen.has(entry.path)) continue;
    let value: unknown;
    try {
      value = JSON.parse(entryText(entry.bytes));
    } catch {
      invalidFile(`${entry.path} is not valid JSON`);
    }
    const problem = keepProblem(value);
    if (problem) invalidFile(`${entry.path} is not a Google Keep note: ${problem}`);
    const keep = value as KeepNote;
    const updatedAt = validDate(keep.userEditedTimestampUsec / 1000);
    if (!updatedAt) invalidFile(`${entry.path} has an impossible userEditedTimestampUsec`);
    const createdAt = (keep.createdTimestampUsec !== undefined && validDate(keep.createdTimestampUsec / 1000)) || updatedAt;
    const title = keep.title ?? '';
    const origin = title.trim() ? `“${title.trim()}” (${entry.path})` : entry.path;
    const attachments = Array.isArray(keep.attachments) ? keep.attachments.length : 0;
    if (attachments > 0) warnings.push(`${origin}: ${attachments} attachment${attachments === 1 ? '' : 's'} left out (notes keep text only)`);
    notes.push({
      sourceId: sourceIdOf('keep', entry.path),
      origin,
      title,
      text: keep.listContent ? keepChecklist(keep.listContent) : (keep.textContent ?? ''),
      tags: (keep.labels ?? []).map((label) => label.name ?? ''),
      isPinned: keep.isPinned === true,
      isArchived: keep.isArchived === true,
      createdAt,
      updatedAt,
      deletedAt: keep.isTrashed ? now : null,
    });
  }
  if (notes.length === 0 && entries.length === 0 && tooLarge.length === 0) invalidFile('The zip has no Google Keep notes (.json files)');
  const notNotes = ignored.filter((path) => !isJunk(path)).length + (entries.length - chosen.size);
  if (notNotes > 0) warnings.push(`${notNotes} file${notNotes === 1 ? '' : 's'} that are not notes (Keep's HTML copies, attachments) left out`);
  for (const path of tooLarge) warnings.push(`${path}: skipped, larger than a note can be`);
  return { notes, skipped: tooLarge.length, warnings };
}
