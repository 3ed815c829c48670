import type { Note } from '@micronote/contracts';
import { useEffect } from 'react';
import { Link } from 'react-router-dom';

import { ArchiveIcon, NoteIcon, PinIcon, SearchIcon, TrashIcon } from '../../../components/icons';
import { LoadMore } from '../../../components/load-more';
import { EmptyState, ErrorState, SkeletonList } from '../../../components/states';
import { formatRelative } from '../../../lib/format';
import { useNotes } from '../api/get-notes';
import type { NoteFilters } from '../api/note-keys';
import { filtersSearch } from '../lib/filters-url';

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
  if (filters.tag) return <EmptyState icon={<NoteIcon />} title={`No notes tagged “${filters.tag}”`} />;
  return (
    <EmptyState icon={<NoteIcon />} title="No notes yet">
      Create your first note with “New note”.
    </EmptyState>
  );
}

/** The notes of the current view, pinned first, loading more as the end scrolls into view. */
export function NoteList({ filters, openNoteId }: { filters: NoteFilters; openNoteId?: string }) {
  const notes = useNotes(filters);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = notes;

  useEffect(() => {
    if (notes.isSuccess && performance.getEntriesByName(INTERACTIVE_MARK).length === 0) performance.mark(INTERACTIVE_MARK);
  }, [notes.isSuccess]);

  if (notes.isPending) return <SkeletonList label="Loading notes" />;
  if (notes.isError) return <ErrorState title="Notes could not be loaded" error={notes.error} onRetry={() => void notes.refetch()} />;

  const items = notes.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <Empty filters={filters} />;

  return (
    <div className="note-list-scroll">
      <p className="visually-hidden" role="status">
        {filters.q ? `${items.length}${hasNextPage ? '+' : ''} results` : ''}
      </p>
      <ul className="note-list" aria-label={filters.q ? 'Search results' : 'Notes'}>
        {items.map((note) => (
          <li key={note.id}>
            <NoteListItem note={note} search={filtersSearch(filters)} active={note.id === openNoteId} />
          </li>
        ))}
      </ul>
      <LoadMore
        hasNextPage={hasNextPage}
        isFetchingNextPage={isFetchingNextPage}
        fetchNextPage={fetchNextPage}
        label="Loading more notes"
      />
    </div>
  );
}

function NoteListItem({ note, search, active }: { note: Note; search: string; active: boolean }) {
  return (
    <Link
      to={{ pathname: `/notes/${note.id}`, search }}
      className="note-item"
      aria-current={active ? 'page' : undefined}
      data-note-id={note.id}
    >
      <span className="note-item-head">
        {note.isPinned && (
          <span className="note-item-pin" title="Pinned">
            <PinIcon width={14} height={14} />
            <span className="visually-hidden">Pinned: </span>
          </span>
        )}
        <span className="note-item-title">{note.title}</span>
        <time className="note-item-time" dateTime={note.updatedAt}>
          {formatRelative(note.updatedAt)}
        </time>
      </span>
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
