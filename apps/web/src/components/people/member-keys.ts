import type { SharedKind } from '@micronote/contracts';

/** A note or a todo list shared with people (both have the same members routes). */
export interface SharedItem {
  kind: SharedKind;
  id: string;
}

/** The REST base of an item's members: `/api/notes/:id/members` or `/api/lists/:id/members`. */
export const membersPath = ({ kind, id }: SharedItem): string =>
  `/api/${kind === 'note' ? 'notes' : 'lists'}/${encodeURIComponent(id)}/members`;

/**
 * Query keys of the people an item is shared with (shared by the notes and the todos features,
 * hence here and not in one of them), from general to specific.
 */
export const memberKeys = {
  all: ['members'] as const,
  ofKind: (kind: SharedKind) => [...memberKeys.all, kind] as const,
  item: ({ kind, id }: SharedItem) => [...memberKeys.ofKind(kind), id] as const,
};
