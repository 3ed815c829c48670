import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { enmlToMarkdown } from './enml-markdown';
import type { ParsedFile, ParsedNote } from './imported-note';
import { sourceIdOf, validDate } from './imported-note';
import { invalidFile } from './imports.errors';

interface EnexNote {
  title?: unknown;
  content?: unknown;
  created?: unknown;
  updated?: unknown;
  tag?: unknown[];
  resource?: unknown[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Every value a string: a title "2024" stays "2024", content is the CDATA's text.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (_name, jPath) => jPath === 'en-export.note' || jPath === 'en-export.note.tag' || jPath === 'en-export.note.resource',
});

/** `20240105T101500Z` (ENEX's time) → a Date; null when absent or not a time. */
export function enexTime(value: unknown): Date | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(value ?? '').trim());
  if (!match) return validDate(value);
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return validDate(Date.UTC(y, mo - 1, d, h, mi, s));
}

/** Text of an element that may carry attributes (`{'#text': …}`) or be empty. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return textOf((value as Record<string, unknown>)['#text']);
  return String(value);
}

/**
 * An Evernote export (.enex): every `<note>` with its title, ENML content as Markdown
 * (checkboxes as task items), tags, created and updated times. Attachments (`<resource>`,
 * `<en-media>`) are left out with a warning per note. Broken XML, or XML that is not an
 * `<en-export>`, is a 400 with the reason. A note is the same note in a second import when its
 * title, created time and content are (`enex:<sha256 of them>`).
 */
export function parseEnex(file: Uint8Array | string): ParsedFile {
  const xml = (typeof file === 'string' ? file : new TextDecoder().decode(file)).replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) invalidFile(`The file is not valid XML: ${valid.err.msg} (line ${valid.err.line})`);
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(xml) as Record<string, unknown>;
  } catch (error) {
    invalidFile(`The file is not valid XML: ${(error as Error).message}`);
  }
  const root = parsed['en-export'];
  if (root === undefined || typeof root !== 'object' || root === null) invalidFile('The file is not an Evernote export: no <en-export> element');
  const exportedAt = enexTime((root as Record<string, unknown>)['@_export-date']);
  const notes: ParsedNote[] = [];
  const warnings: string[] = [];
  const items = ((root as Record<string, unknown>)['note'] ?? []) as EnexNote[];
  items.forEach((item, index) => {
    const title = textOf(item.title).trim();
    const created = textOf(item.created).trim();
    const content = textOf(item.content);
    const origin = title ? `“${title}” (note ${index + 1})` : `note ${index + 1}`;
    const createdAt = enexTime(created) ?? enexTime(item.updated) ?? exportedAt ?? new Date(0);
    const updatedAt = enexTime(item.updated) ?? createdAt;
    const attachments = Math.max((item.resource ?? []).length, (content.match(/<en-media\b/gi) ?? []).length);
    if (attachments > 0) warnings.push(`${origin}: ${attachments} attachment${attachments === 1 ? '' : 's'} left out (notes keep text only)`);
    if (/<en-crypt\b/i.test(content)) warnings.push(`${origin}: encrypted text left out`);
    notes.push({
      sourceId: sourceIdOf('enex', title, created, content),
      origin,
      title,
      text: content.trim() ? enmlToMarkdown(content) : '',
      tags: (item.tag ?? []).map(textOf),
      isPinned: false,
      isArchived: false,
      createdAt,
      updatedAt,
      deletedAt: null,
    });
  });
  return { notes, skipped: 0, warnings };
}
