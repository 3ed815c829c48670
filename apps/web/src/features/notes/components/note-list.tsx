import type { Note } from '@micronote/contracts';
import type { KeyboardEvent } from 'react';
import { useEffect, useMemo } from 'react';
import { Link } from 'react-router-dom';

import { ArchiveIcon, NoteIcon, PinIcon, SearchIcon, TrashIcon, UsersIcon } from '../../../components/icons';
import { LoadMore } from '../../../components/load-more';
import { EmptyState, ErrorState, SkeletonList } from '../../../components/states';
import { formatRelative } from '../../../lib/format';
import { useNotes } from '../api/get-notes';
import type { NoteFilters } from '../api/note-keys';
import type { NoteSelection } from '../hooks/use-note-selection';
import { useNoteSelection } from '../hooks/use-note-selection';
import { filtersSearch } from '../lib/filters-url';
import { NoteSelectionBar } from './note-selection-bar';

/** Marked once per page load, when the first list is on screen: the e2e reads it (Performance API). */
const INTERACTIVE_MARK = 'notes-interactive';

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

function Empty({ filters }: { filters: NoteFilters }) {
  if (filters.q) return <EmptyState icon={<SearchIcon />} title={`No notes match “${filters.q}”`} />;
  if (filters.view === 'trash')
    return (
      <EmptyState icon={<TrashIcon />} title="The trash is empty">
        Deleted notes stay here for 30 days.
      </EmptyState>
    );
  if (filters.view === 'archived')
    return (
      <EmptyState icon={<ArchiveIcon />} title="Nothing archived">
        Archive notes you want to keep out of the way.
      </EmptyState>
    );
  if (filters.view === 'shared')
    return (
      <EmptyState icon={<UsersIcon />} title="Nothing shared with you yet">
        Notes other people share with you show here once you accept their invitation (the bell at the top).
      </EmptyState>
    );
  if (filters.tag) return <EmptyState icon={<NoteIcon />} title={`No notes tagged “${filters.tag}”`} />;
  return (
    <EmptyState icon={<NoteIcon />} title="No notes yet">
      Create your first note with “New note”.
    </EmptyState>
  );
}

/**
 * The notes of the current view, pinned first, loading more as the end scrolls into view. Each
 * row has a checkbox (Shift+click ticks a range; Space on a focused row ticks it, Shift+Space a
 * range); the selection bar above acts on the ticked notes, Escape clears them.
 */
export function NoteList({ filters, openNoteId }: { filters: NoteFilters; openNoteId?: string }) {
  const notes = useNotes(filters);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = notes;
  const items = useMemo(() => notes.data?.pages.flatMap((page) => page.items) ?? [], [notes.data]);
  const ids = useMemo(() => items.map((n) => n.id), [items]);
  const selection = useNoteSelection(ids, `${filters.view}\u0000${filters.tag}\u0000${filters.q}`);

  useEffect(() => {
    if (notes.isSuccess && performance.getEntriesByName(INTERACTIVE_MARK).length === 0) performance.mark(INTERACTIVE_MARK);
  }, [notes.isSuccess]);

  if (notes.isPending) return <SkeletonList label="Loading notes" />;
  if (notes.isError) return <ErrorState title="Notes could not be loaded" error={notes.error} onRetry={() => void notes.refetch()} />;

  if (items.length === 0) return <Empty filters={filters} />;

  const search = filtersSearch(filters);
  return (
    <div
      className="note-list-area"
      onKeyDown={(event) => {
        // Escape clears the selection, unless it is a dialog's (which closes the dialog).
        if (event.key === 'Escape' && selection.ids.length > 0 && !(event.target as Element).closest('dialog')) {
          event.preventDefault();
          selection.clear();
        }
      }}
    >
      {filters.view !== 'shared' && <NoteSelectionBar view={filters.view} selection={selection} notes={items} />}
      <div className="note-list-scroll">
        <p className="visually-hidden" role="status">
          {filters.q ? `${items.length}${hasNextPage ? '+' : ''} results` : ''}
        </p>
        <ul className="note-list" aria-label={filters.q ? 'Search results' : 'Notes'}>
          {items.map((note) => (
            <NoteRow
              key={note.id}
              note={note}
              search={search}
              active={note.id === openNoteId}
              selection={filters.view === 'shared' ? null : selection}
            />
          ))}
        </ul>
        <LoadMore
          hasNextPage={hasNextPage}
          isFetchingNextPage={isFetchingNextPage}
          fetchNextPage={fetchNextPage}
          label="Loading more notes"
        />
      </div>
    </div>
  );
}

function NoteRow({
  note,
  search,
  active,
  selection,
}: {
  note: Note;
  search: string;
  active: boolean;
  /** null: not selectable (notes shared with you: bulk changes are their owners'). */
  selection: NoteSelection | null;
}) {
  const selected = selection?.isSelected(note.id) ?? false;
  const onKeyDown = (event: KeyboardEvent<HTMLAnchorElement>) => {
    if (!selection || event.key !== ' ' || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    selection.toggle(note.id, { range: event.shiftKey });
  };
  return (
    <li className={`note-row${selected ? ' is-selected' : ''}`}>
      {selection && (
        <input
          type="checkbox"
          className="note-check"
          checked={selected}
          aria-label={`Select “${note.title}”`}
          onChange={(event) => selection.toggle(note.id, { range: (event.nativeEvent as MouseEvent).shiftKey === true })}
        />
      )}
      <NoteListItem note={note} search={search} active={active} onKeyDown={onKeyDown} />
    </li>
  );
}

function NoteListItem({
  note,
  search,
  active,
  onKeyDown,
}: {
  note: Note;
  search: string;
  active: boolean;
  onKeyDown: (event: KeyboardEvent<HTMLAnchorElement>) => void;
}) {
  return (
    <Link
      to={{ pathname: `/notes/${note.id}`, search }}
      className="note-item"
      aria-current={active ? 'page' : undefined}
      data-note-id={note.id}
      onKeyDown={onKeyDown}
    >
      <span className="note-item-head">
        {note.isPinned && (
          <span className="note-item-pin" title="Pinned">
            <PinIcon width={14} height={14} />
            <span className="visually-hidden">Pinned: </span>
          </span>
        )}
        <span className="note-item-title">{note.title}</span>
        {note.access && note.access.role !== 'owner' && (
          <span className={`badge badge-role badge-${note.access.role}`}>{note.access.role === 'viewer' ? 'Can view' : 'Can edit'}</span>
        )}
        <time className="note-item-time" dateTime={note.updatedAt}>
          {formatRelative(note.updatedAt)}
        </time>
      </span>
      {note.access && note.access.role !== 'owner' && (
        <span className="note-item-owner">From {note.access.owner.displayName || note.access.owner.username}</span>
      )}
      {note.access?.role === 'owner' && note.access.members > 0 && (
        <span className="note-item-owner">
          Shared with {note.access.members} {note.access.members === 1 ? 'person' : 'people'}
        </span>
      )}
      {note.text && <span className="note-item-snippet">{snippet(note.text)}</span>}
      {note.tags.length > 0 && (
        <span className="note-item-tags">
          {note.tags.slice(0, 4).map((tag) => (
            <span key={tag} className="tag">
              {tag}
            </span>
          ))}
          {note.tags.length > 4 && <span className="tag tag-more">+{note.tags.length - 4}</span>}
        </span>
      )}
    </Link>
  );
}
