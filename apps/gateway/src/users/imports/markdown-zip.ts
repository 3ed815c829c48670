import { ID_PATTERN } from '@micronote/contracts';
import { parse as parseYaml } from 'yaml';

import type { ParsedFile, ParsedNote } from './imported-note';
import { sourceIdOf, validDate } from './imported-note';
import { invalidFile } from './imports.errors';
import { baseName, entryText, isJunk, readZip } from './zip';

const isMarkdown = (path: string) => /\.(md|markdown|mdown|mkd)$/i.test(path);

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;

/** The front matter (YAML between `---` lines at the very top) and the rest; a broken one is text, with the reason. */
export function splitFrontMatter(text: string): { data: Record<string, unknown>; body: string; problem?: string } {
  const match = FRONT_MATTER.exec(text);
  if (!match) return { data: {}, body: text };
  try {
    const data: unknown = parseYaml(match[1], { maxAliasCount: 50 });
    if (data === null || data === undefined) return { data: {}, body: text.slice(match[0].length) };
    if (typeof data !== 'object' || Array.isArray(data)) return { data: {}, body: text, problem: 'front matter is not a set of fields' };
    return { data: data as Record<string, unknown>, body: text.slice(match[0].length) };
  } catch (error) {
    return { data: {}, body: text, problem: `front matter is not valid YAML (${(error as Error).message.split('\n')[0]})` };
  }
}

/** `tags: [a, b]`, `tags: a, b` or `tags: a` (also `tag:`), as a list. */
export function frontMatterTags(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((tag) => typeof tag === 'string' || typeof tag === 'number').map(String);
  if (typeof value === 'string') return value.split(',').map((tag) => tag.trim()).filter(Boolean);
  if (typeof value === 'number') return [String(value)];
  return [];
}

const first = (data: Record<string, unknown>, ...keys: string[]) => keys.map((key) => data[key]).find((value) => value !== undefined && value !== null);
const flag = (value: unknown) => value === true || value === 'true';

/** The first `# heading` of a body when it is its first line: the title, and the body without it. */
function leadingHeading(body: string): { heading: string; rest: string } | null {
  const match = /^\s*#[ \t]+(.+?)[ \t]*#*[ \t]*(?:\n|$)/.exec(body);
  return match ? { heading: match[1].trim(), rest: body.slice(match[0].length) } : null;
}

/** The folder every entry in a folder shares (a zipped folder; MicroNote's `notes/`), to leave out of the tags. */
function commonRoot(paths: string[]): string {
  const roots = new Set(paths.filter((path) => path.includes('/')).map((path) => path.split('/')[0]));
  return roots.size === 1 ? ([...roots][0] ?? '') : '';
}

/** MicroNote's own export names the note it came from: trusted only with the export's other fields, never a lone `id`. */
function exportedId(data: Record<string, unknown>): string | null {
  const id = data['id'];
  if (typeof id !== 'string' || !ID_PATTERN.test(id) || typeof data['createdAt'] !== 'string' || typeof data['updatedAt'] !== 'string') return null;
  return id;
}

/**
 * A zip of Markdown files, one note per `.md` file. The title is the front matter's `title`, else a
 * `# heading` on the first line (taken out of the text), else the file name. Tags: the front
 * matter's `tags` (a list or `a, b`) plus the file's folder as one nested tag (`Work/Projects/x.md`
 * → `Work/Projects`; a folder holding every file that is in a folder, as a zipped folder has, is
 * left out). Also read:
 * `pinned`, `archived`, `created`/`createdAt`/`date`, `updated`/`updatedAt`, `deletedAt` and
 * MicroNote's own `id`, so a MicroNote Markdown export imports back without duplicates. A note's
 * identity is its path in the zip (`md:<sha256 of the path>`) and its created time (the front
 * matter's, else the file's time in the zip).
 */
export function parseMarkdownZip(zip: Uint8Array, now = new Date()): ParsedFile {
  const { entries, ignored, tooLarge } = readZip(zip, (path) => !isJunk(path) && isMarkdown(path));
  if (entries.length === 0 && tooLarge.length === 0) invalidFile('The zip has no Markdown files (.md)');
  const root = commonRoot(entries.map((entry) => entry.path));
  const warnings: string[] = [];
  const notes: ParsedNote[] = [];
  const files = entries.map((entry) => ({ entry, ...splitFrontMatter(entryText(entry.bytes)) }));
  // MicroNote's own export: its todos.md is a list of todos, not a note (the JSON export carries todos).
  const micronoteExport = files.some(({ entry, data }) => entry.path.startsWith('notes/') && exportedId(data) !== null);
  for (const { entry, data, body, problem } of files) {
    if (micronoteExport && entry.path === 'todos.md') {
      warnings.push('todos.md of a MicroNote export left out (todos come back with the JSON export)');
      continue;
    }
    if (problem) warnings.push(`${entry.path}: ${problem}; imported as text`);
    let text = body;
    let title = first(data, 'title');
    const heading = leadingHeading(body);
    if (heading && (title === undefined || heading.heading === String(title).trim())) {
      title ??= heading.heading;
      text = heading.rest;
    }
    const folders = entry.path.split('/').slice(0, -1);
    if (root && folders[0] === root) folders.shift();
    const createdAt = validDate(first(data, 'created', 'createdAt', 'date')) ?? entry.modifiedAt ?? new Date(0);
    const deleted = first(data, 'deletedAt', 'deleted');
    notes.push({
      sourceId: exportedId(data) ?? sourceIdOf('md', entry.path),
      origin: entry.path,
      title: title === undefined ? baseName(entry.path) : String(title),
      text: text.replace(/^\n+/, '').replace(/\s+$/, ''),
      tags: [...frontMatterTags(first(data, 'tags', 'tag')), ...(folders.length > 0 ? [folders.join('/')] : [])],
      isPinned: flag(first(data, 'pinned', 'isPinned')),
      isArchived: flag(first(data, 'archived', 'isArchived')),
      createdAt,
      updatedAt: validDate(first(data, 'updated', 'updatedAt', 'modified')) ?? createdAt,
      deletedAt: deleted === true ? now : validDate(deleted),
    });
  }
  const others = ignored.filter((path) => !isJunk(path)).length;
  if (others > 0) warnings.push(`${others} file${others === 1 ? '' : 's'} that are not Markdown (images, attachments) left out`);
  for (const path of tooLarge) warnings.push(`${path}: skipped, larger than a note can be`);
  return { notes, skipped: tooLarge.length, warnings };
}
