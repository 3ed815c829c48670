import type { Note, Page } from '@micronote/contracts';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';

import { compareIds } from '../../../lib/ids';
import type { NoteFilters } from './note-keys';
import { noteKeys } from './note-keys';

export type NotePages = InfiniteData<Page<Note>, string | null>;

/** The server's list order: pinned first, then most recently updated, then newest id. Negative: a first. */
export function compareNotes(a: Note, b: Note): number {
  if (a.isPinned !== b.isPinned) return a.isPinned ? -1 : 1;
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? -1 : 1;
  return -compareIds(a.id, b.id);
}

/** Whether a list with these filters shows the note (search lists cannot be judged here: FULLTEXT). */
export function noteMatches(filters: NoteFilters, note: Note): boolean {
  const inView =
    filters.view === 'trash' ? note.deletedAt !== null : note.deletedAt === null && note.isArchived === (filters.view === 'archived');
  return inView && (!filters.tag || note.tags.includes(filters.tag));
}

/** Where the tag counts could change: a different tag set, or moving in or out of the trash. */
function affectsTags(before: Note | undefined, after: Note): boolean {
  if (!before) return after.tags.length > 0;
  return (before.deletedAt === null) !== (after.deletedAt === null) || before.tags.join('\u0000') !== after.tags.join('\u0000');
}

/**
 * Places `note` in pages kept in server order: removed wherever it was, inserted where it now
 * belongs if that is within what has been loaded (past the last loaded item the next page
 * brings it). Returns the pages unchanged when they hold a newer version.
 */
export function placeNote(data: NotePages, note: Note, belongs: boolean): NotePages {
  const existing = data.pages.flatMap((p) => p.items).find((n) => n.id === note.id);
  if (existing && existing.version > note.version) return data;
  const pages = data.pages.map((p) => ({ ...p, items: p.items.filter((n) => n.id !== note.id) }));
  if (belongs) {
    let placed = false;
    for (const page of pages) {
      const at = page.items.findIndex((n) => compareNotes(note, n) < 0);
      if (at >= 0) {
        page.items.splice(at, 0, note);
        placed = true;
        break;
      }
    }
    const last = pages[pages.length - 1];
    if (!placed && last && last.nextCursor === null) last.items.push(note);
  }
  return { ...data, pages };
}

/** The cached copy of a note, from its detail or any list. */
export function findCachedNote(queryClient: QueryClient, id: string): Note | undefined {
  const detail = queryClient.getQueryData<Note>(noteKeys.detail(id));
  if (detail) return detail;
  for (const [, data] of queryClient.getQueriesData<NotePages>({ queryKey: noteKeys.lists() })) {
    const found = data?.pages.flatMap((p) => p.items).find((n) => n.id === id);
    if (found) return found;
  }
  return undefined;
}

/**
 * Puts a note (created, changed, trashed or restored) into every cached view: its detail, and
 * each list in place and in order. Search lists are ranked by the server: the copy there is
 * replaced and the list refetched. Older versions never overwrite newer ones. Returns whether
 * the tag counts may have changed.
 */
export function upsertNoteInCache(queryClient: QueryClient, note: Note): { tagsChanged: boolean } {
  const before = findCachedNote(queryClient, note.id);
  if (before && before.version > note.version) return { tagsChanged: false };
  queryClient.setQueryData<Note>(noteKeys.detail(note.id), note);
  for (const [key, data] of queryClient.getQueriesData<NotePages>({ queryKey: noteKeys.lists() })) {
    if (!data) continue;
    const filters = key[2] as NoteFilters;
    if (filters.q) {
      queryClient.setQueryData<NotePages>(key, {
        ...data,
        pages: data.pages.map((p) => ({ ...p, items: p.items.map((n) => (n.id === note.id && n.version <= note.version ? note : n)) })),
      });
      void queryClient.invalidateQueries({ queryKey: key, exact: true });
    } else {
      queryClient.setQueryData<NotePages>(key, placeNote(data, note, noteMatches(filters, note)));
    }
  }
  return { tagsChanged: affectsTags(before, note) };
}

/** A note deleted for good: out of every list; its detail is reset (an open editor refetches and finds it gone). */
export function removeNoteFromCache(queryClient: QueryClient, id: string): void {
  for (const [key, data] of queryClient.getQueriesData<NotePages>({ queryKey: noteKeys.lists() })) {
    if (!data) continue;
    queryClient.setQueryData<NotePages>(key, {
      ...data,
      pages: data.pages.map((p) => ({ ...p, items: p.items.filter((n) => n.id !== id) })),
    });
  }
  void queryClient.resetQueries({ queryKey: noteKeys.detail(id), exact: true });
}
