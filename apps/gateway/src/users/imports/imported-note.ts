import { createHash } from 'node:crypto';

import { NOTE_LIMITS } from '@micronote/contracts';
import type { notesV1 } from '@micronote/proto';

import type { ParsedTodo } from './todoist';

/** A note as a parser found it, before the limits of MicroNote are applied. */
export interface ParsedNote {
  /** Stable across imports of the same file (`keep:…`, `enex:…`, `md:…`): the idempotency key with `createdAt`. */
  sourceId: string;
  /** Where it came from, for warnings (`Takeout/Keep/Groceries.json`, `“Trip” in the .enex`). */
  origin: string;
  title: string;
  text: string;
  tags: string[];
  isPinned: boolean;
  isArchived: boolean;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/** What a parser hands back: the notes (or todos, from a to-do app), what it had to leave out, and why. */
export interface ParsedFile {
  notes: ParsedNote[];
  todos?: ParsedTodo[];
  /** Items of the file that are not imported at all (unreadable, too large). */
  skipped: number;
  warnings: string[];
}

/** `prefix:` + 32 characters of the SHA-256 of `parts`: at most 40 characters, as ImportNotes wants. */
export function sourceIdOf(prefix: 'keep' | 'enex' | 'md' | 'todoist', ...parts: string[]): string {
  return `${prefix}:${createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32)}`;
}

const codePoints = (value: string) => [...value];

/** The first `max` code points (what the services count). */
export function truncate(value: string, max: number): string {
  const points = codePoints(value);
  return points.length <= max ? value : points.slice(0, max).join('');
}

/** One line, trimmed, at most NOTE_LIMITS.title.max code points; empty → "Untitled". */
export function normalizeTitle(title: string): string {
  const line = title.replace(/\s+/g, ' ').trim();
  return truncate(line, NOTE_LIMITS.title.max).trim() || 'Untitled';
}

/** Tags that differ only by case or accents are one tag (as the database compares them). */
const tagCollator = new Intl.Collator('und', { sensitivity: 'base' });

/**
 * Tags as the notes-service takes them: trimmed, `a / b` → `a/b` (at most NOTE_LIMITS.tagDepth
 * levels), at most NOTE_LIMITS.tags.max code points, no duplicates by case or accent, at most
 * NOTE_LIMITS.tags.maxCount (the rest dropped: `dropped` says how many).
 */
export function normalizeTags(tags: readonly string[]): { tags: string[]; dropped: number } {
  const kept: string[] = [];
  let dropped = 0;
  for (const raw of tags) {
    const levels = raw
      .split('/')
      .map((level) => level.replace(/\s+/g, ' ').trim())
      .filter(Boolean)
      .slice(0, NOTE_LIMITS.tagDepth);
    const tag = truncate(levels.join('/'), NOTE_LIMITS.tags.max).replace(/\/+$/, '').trim();
    if (!tag || kept.some((k) => tagCollator.compare(k, tag) === 0)) continue;
    if (kept.length >= NOTE_LIMITS.tags.maxCount) {
      dropped++;
      continue;
    }
    kept.push(tag);
  }
  return { tags: kept, dropped };
}

/** A rough upper bound of a note's bytes in an ImportNotes message (UTF-8 of its strings plus framing). */
export function messageBytes(note: notesV1.Note): number {
  return (
    Buffer.byteLength(note.title) + Buffer.byteLength(note.text) + note.tags.reduce((sum, tag) => sum + Buffer.byteLength(tag) + 4, 0) + 128
  );
}

/**
 * A parsed note within MicroNote's limits, as the ImportNotes message carries it, or the reason it
 * cannot be imported (text over NOTE_LIMITS.text.max: cutting it would lose part of the note).
 * Titles are cut, tags normalised; `warnings` says what changed.
 */
export function toImportMessage(note: ParsedNote, warnings: string[]): notesV1.Note | null {
  const textLength = codePoints(note.text).length;
  if (textLength > NOTE_LIMITS.text.max) {
    warnings.push(
      `${note.origin}: skipped, its text has ${textLength.toLocaleString('en')} characters (at most ${NOTE_LIMITS.text.max.toLocaleString('en')})`,
    );
    return null;
  }
  const title = normalizeTitle(note.title);
  if (codePoints(note.title.replace(/\s+/g, ' ').trim()).length > NOTE_LIMITS.title.max) {
    warnings.push(`${note.origin}: title cut to ${NOTE_LIMITS.title.max} characters`);
  }
  const { tags, dropped } = normalizeTags(note.tags);
  if (dropped > 0)
    warnings.push(`${note.origin}: ${dropped} tag${dropped === 1 ? '' : 's'} left out (at most ${NOTE_LIMITS.tags.maxCount})`);
  return {
    id: note.sourceId,
    title,
    text: note.text,
    tags,
    isPinned: note.isPinned,
    isArchived: note.isArchived,
    version: 1,
    createdAt: note.createdAt.toISOString(),
    updatedAt: (note.updatedAt.getTime() < note.createdAt.getTime() ? note.createdAt : note.updatedAt).toISOString(),
    deletedAt: note.deletedAt?.toISOString(),
  };
}

/** A time a file gave, if it is one (and within what MySQL's DATETIME keeps). */
export function validDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value : String(value));
  const time = date.getTime();
  if (Number.isNaN(time) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) return null;
  return date;
}
