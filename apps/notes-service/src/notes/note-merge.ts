import type { notesV1 } from '@micronote/proto';
import { diff3Merge } from 'node-diff3';

/** What a three-way merge of a note works on: the fields a revision keeps. */
export interface NoteContent {
  title: string;
  text: string;
  tags: string[];
}

export type MergeOutcome = { merged: NoteContent; conflicts?: undefined } | { merged?: undefined; conflicts: notesV1.MergeConflictHunk[] };

/** Lines of a text as the merge sees them (a title is one line). */
const linesOf = (text: string) => text.split('\n');

/**
 * Three-way merge of line lists: `mine` and `theirs` both started from `base`. Changes to
 * different lines both apply; the same change made on both sides is no conflict; different changes
 * of the same lines are a conflict, reported with 0-based, end-exclusive line ranges of each side.
 */
function mergeLines(
  field: 'title' | 'text',
  base: string[],
  mine: string[],
  theirs: string[],
): { lines: string[]; conflicts: notesV1.MergeConflictHunk[] } {
  const lines: string[] = [];
  const conflicts: notesV1.MergeConflictHunk[] = [];
  for (const region of diff3Merge<string>(mine, base, theirs, { excludeFalseConflicts: true })) {
    if (region.ok) {
      lines.push(...region.ok);
    } else if (region.conflict) {
      const { a, aIndex, o, oIndex, b, bIndex } = region.conflict;
      conflicts.push({
        field,
        base: { start: oIndex, end: oIndex + o.length },
        mine: { start: aIndex, end: aIndex + a.length },
        theirs: { start: bIndex, end: bIndex + b.length },
      });
    }
  }
  return { lines, conflicts };
}

/**
 * Tags as sets: every tag added on either side is added, every tag removed on either side is
 * removed (`same` says when two spellings are one tag). Order: the stored note's, then the edit's additions.
 */
export function mergeTags(base: string[], mine: string[], theirs: string[], same: (a: string, b: string) => boolean): string[] {
  const has = (tags: string[], tag: string) => tags.some((t) => same(t, tag));
  const removed = (side: string[]) => base.filter((tag) => !has(side, tag));
  const gone = [...removed(mine), ...removed(theirs)];
  const result: string[] = [];
  for (const tag of [...theirs, ...mine]) {
    if (has(result, tag)) continue;
    if (has(base, tag) && has(gone, tag)) continue;
    result.push(tag);
  }
  return result;
}

/**
 * Merges an edit (`mine`, made on `base`) into the note as stored (`theirs`): the title as a
 * one-line text, the text by line, the tags as sets. Either the merged content, or the
 * overlapping hunks (title and text; tags never conflict).
 */
export function mergeNote(
  base: NoteContent,
  mine: NoteContent,
  theirs: NoteContent,
  sameTag: (a: string, b: string) => boolean,
): MergeOutcome {
  const title = mergeLines('title', [base.title], [mine.title], [theirs.title]);
  const text = mergeLines('text', linesOf(base.text), linesOf(mine.text), linesOf(theirs.text));
  const conflicts = [...title.conflicts, ...text.conflicts];
  if (conflicts.length > 0) return { conflicts };
  return {
    merged: { title: title.lines.join(''), text: text.lines.join('\n'), tags: mergeTags(base.tags, mine.tags, theirs.tags, sameTag) },
  };
}
