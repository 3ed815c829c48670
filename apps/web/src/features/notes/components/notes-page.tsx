import { Outlet, useParams, useSearchParams } from 'react-router-dom';

import { PageTitle } from '../../../components/page-title';
import type { NoteFilters } from '../api/note-keys';
import { noteFilters } from '../api/note-keys';
import { NotesSidebar } from './notes-sidebar';

export interface NotesOutletContext {
  filters: NoteFilters;
}

const TITLES = { notes: 'Notes', archived: 'Archive', trash: 'Trash', shared: 'Shared with me' } as const;

/**
 * The notes screen: the list (search, views, tags) beside the open note. The filters live in the
 * URL (`?view=archived&tag=work&q=…`), so a reload or a shared link shows the same thing. On a
 * phone only one of the two panes shows: the list, or the open note with a way back.
 */
export function NotesPage() {
  const [params] = useSearchParams();
  const filters = noteFilters({ view: params.get('view'), q: params.get('q'), tag: params.get('tag') });
  const { noteId } = useParams();
  return (
    <main id="main" className={`notes-page${noteId ? ' has-open-note' : ''}`}>
      <PageTitle>{`${TITLES[filters.view]} · MicroNote`}</PageTitle>
      <NotesSidebar filters={filters} openNoteId={noteId} />
      <section className="editor-pane" aria-label="Open note">
        <Outlet context={{ filters } satisfies NotesOutletContext} />
      </section>
    </main>
  );
}
