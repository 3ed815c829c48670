/** Which notes a list shows. Normalised (trimmed, '' for none) so equal filters share a cache entry. */
/** `shared`: notes other people shared with you (no search or tag filter there: the tags are their owners'). */
export type NoteView = 'notes' | 'archived' | 'trash' | 'shared';

export interface NoteFilters {
  view: NoteView;
  /** Full-text search ('' = none). */
  q: string;
  /** One tag ('' = all). */
  tag: string;
}

export const NOTE_VIEWS: readonly NoteView[] = ['notes', 'archived', 'trash', 'shared'];

export function noteFilters(input: Partial<Record<keyof NoteFilters, string | null>>): NoteFilters {
  const view = NOTE_VIEWS.includes(input.view as NoteView) ? (input.view as NoteView) : 'notes';
  if (view === 'shared') return { view, q: '', tag: '' };
  return { view, q: (input.q ?? '').trim(), tag: (input.tag ?? '').trim() };
}

/** Query keys of the notes feature, from general to specific. */
export const noteKeys = {
  all: ['notes'] as const,
  lists: () => [...noteKeys.all, 'list'] as const,
  list: (filters: NoteFilters) => [...noteKeys.lists(), filters] as const,
  details: () => [...noteKeys.all, 'detail'] as const,
  detail: (id: string) => [...noteKeys.details(), id] as const,
  tags: () => [...noteKeys.all, 'tags'] as const,
  revisions: (id: string) => [...noteKeys.detail(id), 'revisions'] as const,
  revision: (id: string, version: number) => [...noteKeys.revisions(id), version] as const,
  /** A note's share links (its own branch: a detail's reset leaves them alone). */
  shares: (id: string) => [...noteKeys.all, 'shares', id] as const,
  /**
   * A shared note as the public page reads it (no session). Outside `all`: signing in or out,
   * a resync or a rename never touch it.
   */
  publicNote: (token: string) => ['public-note', token] as const,
};
