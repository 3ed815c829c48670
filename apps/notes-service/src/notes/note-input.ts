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

/**
 * A tag path: `a/b` is a child of `a`. Each segment is trimmed (`a / b` is `a/b`); an empty segment
 * (`a//b`, a leading or trailing `/`) or more than NOTE_LIMITS.tagDepth levels is INVALID_ARGUMENT.
 */
export function checkTagPath(tag: string, what = 'tag'): string {
  const shown = JSON.stringify(tag.length > 40 ? `${tag.slice(0, 40)}…` : tag);
  const segments = tag.split('/').map((segment) => segment.trim());
  if (segments.some((segment) => segment.length === 0))
    throw NoteErrors.invalid(`${what} ${shown} has an empty level: no leading, trailing or double "/"`);
  if (segments.length > NOTE_LIMITS.tagDepth) throw NoteErrors.invalid(`${what} ${shown} is more than ${NOTE_LIMITS.tagDepth} levels deep`);
  return segments.join('/');
}

/**
 * `tag` renamed: when it is `from` or a child of it (segment by segment, as the database compares),
 * the same path under `to`; otherwise undefined.
 */
export function renamedTag(tag: string, from: string, to: string): string | undefined {
  const segments = tag.split('/');
  const prefix = from.split('/');
  if (segments.length < prefix.length || prefix.some((segment, i) => !sameTag(segment, segments[i]))) return undefined;
  return [to, ...segments.slice(prefix.length)].join('/');
}

/** Trims tags, drops empty ones and duplicates by case or accent (first spelling kept), checks limits and tag paths. */
export function normalizeTags(tags: string[]): string[] {
  const result: string[] = [];
  for (const raw of tags) {
    if (raw.trim().length === 0) continue;
    const tag = checkTagPath(raw.trim());
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
