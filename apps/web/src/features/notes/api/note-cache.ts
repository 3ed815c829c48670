import type { Note, Page } from '@micronote/contracts';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';

import { noteKeys } from './note-keys';

export type NotePages = InfiniteData<Page<Note>, string | null>;

/** Where the tag counts could change: a different tag set, or moving in or out of the trash. */
function affectsTags(before: Note | undefined, after: Note): boolean {
  if (!before) return after.tags.length > 0;
  return (before.deletedAt === null) !== (after.deletedAt === null) || before.tags.join('\u0000') !== after.tags.join('\u0000');
}

/** Pages with `note` in place of its older copy (same position; pages holding a newer version stay as they are). */
function replaceNote(data: NotePages, note: Note): NotePages {
  return {
    ...data,
    pages: data.pages.map((p) => ({ ...p, items: p.items.map((n) => (n.id === note.id && n.version <= note.version ? note : n)) })),
  };
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
 * Puts a note's new state in the cache where it is known for sure: its detail, and its copy in
 * every cached list, in place. Nothing is re-sorted or added here: which lists show the note, and
 * where, is the server's to say (pinned first, recency, filters, search ranking).
 */
export function patchNoteInCache(queryClient: QueryClient, note: Note): { before: Note | undefined; applied: boolean } {
  const before = findCachedNote(queryClient, note.id);
  if (before && before.version > note.version) return { before, applied: false };
  queryClient.setQueryData<Note>(noteKeys.detail(note.id), note);
  for (const [key, data] of queryClient.getQueriesData<NotePages>({ queryKey: noteKeys.lists() })) {
    if (data) queryClient.setQueryData<NotePages>(key, replaceNote(data, note));
  }
  return { before, applied: true };
}

/**
 * A note created, changed, trashed or restored (a mutation's answer, a realtime event): patched
 * in place at once (see patchNoteInCache), then the lists are invalidated, so the server places
 * it: in order, in the lists it now belongs to and out of the others. Older versions never
 * overwrite newer ones. Returns whether the tag counts may have changed.
 */
export function upsertNoteInCache(queryClient: QueryClient, note: Note): { tagsChanged: boolean } {
  const { before, applied } = patchNoteInCache(queryClient, note);
  if (!applied) return { tagsChanged: false };
  void queryClient.invalidateQueries({ queryKey: noteKeys.lists() });
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
