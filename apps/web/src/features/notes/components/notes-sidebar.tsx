import { NOTE_LIMITS } from '@micronote/contracts';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';

import { ArchiveIcon, NoteIcon, PlusIcon, TrashIcon, UsersIcon } from '../../../components/icons';
import { useCreateNote } from '../api/create-note';
import type { NoteFilters, NoteView } from '../api/note-keys';
import { filtersSearch } from '../lib/filters-url';
import { NoteList } from './note-list';
import { SearchBox } from './search-box';
import { TagFilter } from './tag-filter';

const VIEWS: { view: NoteView; label: string; icon: typeof NoteIcon }[] = [
  { view: 'notes', label: 'Notes', icon: NoteIcon },
  { view: 'archived', label: 'Archive', icon: ArchiveIcon },
  { view: 'trash', label: 'Trash', icon: TrashIcon },
  { view: 'shared', label: 'Shared with me', icon: UsersIcon },
];

export function NotesSidebar({ filters, openNoteId }: { filters: NoteFilters; openNoteId?: string }) {
  const navigate = useNavigate();
  const [, setParams] = useSearchParams();
  const create = useCreateNote({
    // Open the new note with its title selected, in a list that shows it (same tag, no search).
    onSuccess: (note) =>
      navigate({ pathname: `/notes/${note.id}`, search: filtersSearch(filters, { view: 'notes', q: '' }) }, { state: { isNew: true } }),
  });

  return (
    <aside className="sidebar" aria-label="Notes list">
      <div className="sidebar-head">
        <h1 className="visually-hidden">Notes</h1>
        {filters.view !== 'shared' && (
          <SearchBox
            value={filters.q}
            onSearch={(q) =>
              setParams(
                (params) => {
                  if (q) params.set('q', q);
                  else params.delete('q');
                  return params;
                },
                { replace: true },
              )
            }
          />
        )}
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => create.mutate({ title: 'Untitled', text: '', tags: filters.tag ? [filters.tag] : [] })}
          disabled={create.isPending}
          title={`New note (up to ${NOTE_LIMITS.tags.maxCount} tags, ${NOTE_LIMITS.title.max}-character title)`}
        >
          <PlusIcon />
          <span>New note</span>
        </button>
      </div>
      <nav className="view-tabs" aria-label="Note views">
        {VIEWS.map(({ view, label, icon: Icon }) => (
          <Link
            key={view}
            to={{ pathname: '/notes', search: filtersSearch(filters, { view }) }}
            className="view-tab"
            aria-current={filters.view === view ? 'page' : undefined}
          >
            <Icon width={16} height={16} />
            {label}
          </Link>
        ))}
      </nav>
      {filters.view !== 'shared' && <TagFilter filters={filters} />}
      <NoteList filters={filters} openNoteId={openNoteId} />
    </aside>
  );
}
