import { NOTE_LIMITS } from '@micronote/contracts';

import { NoteErrors } from './notes.errors';

/**
 * Tags that differ only by case or accents (`cafe`, `Café`) are one tag: the database's collation
 * (utf8mb4_unicode_ci) compares them equal, in the tag filter and in note_tags' primary key.
 */
const tagCollator = new Intl.Collator('und', { sensitivity: 'base' });

/** Trims tags, drops empty ones and duplicates by case or accent (first spelling kept), checks limits. */
export function normalizeTags(tags: string[]): string[] {
  const result: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag.length === 0) continue;
    if (tag.length > NOTE_LIMITS.tags.max) throw NoteErrors.invalid(`each tag must be at most ${NOTE_LIMITS.tags.max} characters`);
    if (result.some((kept) => tagCollator.compare(kept, tag) === 0)) continue;
    result.push(tag);
  }
  if (result.length > NOTE_LIMITS.tags.maxCount) throw NoteErrors.invalid(`at most ${NOTE_LIMITS.tags.maxCount} tags`);
  return result;
}

export function checkTitle(title: string): string {
  if (title.length < NOTE_LIMITS.title.min || title.length > NOTE_LIMITS.title.max || title.trim().length === 0) {
    throw NoteErrors.invalid(`title must be ${NOTE_LIMITS.title.min} to ${NOTE_LIMITS.title.max} characters`);
  }
  return title;
}

export function checkText(text: string): string {
  if (text.length > NOTE_LIMITS.text.max) throw NoteErrors.invalid(`text must be at most ${NOTE_LIMITS.text.max} characters`);
  return text;
}

/** Ids are positive BIGINTs; anything else can only be "not found". */
export function isNoteId(id: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(id);
}

export function pageSize(limit: number): number {
  if (!limit) return NOTE_LIMITS.pageSize.default;
  if (!Number.isInteger(limit) || limit < NOTE_LIMITS.pageSize.min || limit > NOTE_LIMITS.pageSize.max) {
    throw NoteErrors.invalid(`limit must be ${NOTE_LIMITS.pageSize.min} to ${NOTE_LIMITS.pageSize.max}`);
  }
  return limit;
}
