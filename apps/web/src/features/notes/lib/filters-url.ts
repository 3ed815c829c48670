import type { NoteFilters } from '../api/note-keys';

/** The query string of a list with some filters changed ('' removes one); defaults are left out. */
export function filtersSearch(filters: NoteFilters, change: Partial<NoteFilters> = {}): string {
  const next = { ...filters, ...change };
  const params = new URLSearchParams();
  if (next.view !== 'notes') params.set('view', next.view);
  if (next.tag) params.set('tag', next.tag);
  if (next.q) params.set('q', next.q);
  const search = params.toString();
  return search ? `?${search}` : '';
}
