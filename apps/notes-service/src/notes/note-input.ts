import { NOTE_LIMITS } from '@micronote/contracts';
import { codePointLength, withinLength } from '@micronote/server-data';

import { NoteErrors } from './notes.errors';

/**
 * Tags that differ only by case or accents (`cafe`, `Café`) are one tag: the database's collation
 * (utf8mb4_unicode_ci) compares them equal, in the tag filter and in note_tags' primary key.
 */
const tagCollator = new Intl.Collator('und', { sensitivity: 'base' });

/** Whether two tags are one tag (as the database collation compares them). */
export const sameTag = (a: string, b: string): boolean => tagCollator.compare(a, b) === 0;

/** A tag filter or a tag of a note: at most NOTE_LIMITS.tags.max code points. */
export function checkTag(tag: string, message = `tag must be at most ${NOTE_LIMITS.tags.max} characters`): string {
  if (codePointLength(tag) > NOTE_LIMITS.tags.max) throw NoteErrors.invalid(message);
  return tag;
}

/** Trims tags, drops empty ones and duplicates by case or accent (first spelling kept), checks limits. */
export function normalizeTags(tags: string[]): string[] {
  const result: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag.length === 0) continue;
    checkTag(tag, `each tag must be at most ${NOTE_LIMITS.tags.max} characters`);
    if (result.some((kept) => sameTag(kept, tag))) continue;
    result.push(tag);
  }
  if (result.length > NOTE_LIMITS.tags.maxCount) throw NoteErrors.invalid(`at most ${NOTE_LIMITS.tags.maxCount} tags`);
  return result;
}

export function checkTitle(title: string): string {
  if (!withinLength(title, NOTE_LIMITS.title.min, NOTE_LIMITS.title.max) || title.trim().length === 0) {
    throw NoteErrors.invalid(`title must be ${NOTE_LIMITS.title.min} to ${NOTE_LIMITS.title.max} characters`);
  }
  return title;
}

export function checkText(text: string): string {
  if (!withinLength(text, 0, NOTE_LIMITS.text.max)) throw NoteErrors.invalid(`text must be at most ${NOTE_LIMITS.text.max} characters`);
  return text;
}

/** A search query, trimmed: at most NOTE_LIMITS.query.max code points. */
export function checkQuery(q: string): string {
  const trimmed = q.trim();
  if (codePointLength(trimmed) > NOTE_LIMITS.query.max) throw NoteErrors.invalid(`q must be at most ${NOTE_LIMITS.query.max} characters`);
  return trimmed;
}
