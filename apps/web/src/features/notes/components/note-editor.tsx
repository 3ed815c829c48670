import type { Note } from '@micronote/contracts';
import { NOTE_LIMITS } from '@micronote/contracts';
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useOutletContext, useParams } from 'react-router-dom';

import { ConfirmDialog } from '../../../components/confirm-dialog';
import { AlertIcon, ArchiveIcon, BackIcon, CheckIcon, NoteIcon, PinIcon, RestoreIcon, TrashIcon } from '../../../components/icons';
import { EmptyState, ErrorState, Spinner } from '../../../components/states';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { toast } from '../../../lib/toast';
import { useDeleteNote } from '../api/delete-note';
import { useNote } from '../api/get-note';
import { useRestoreNote } from '../api/restore-note';
import type { NoteDraft, SaveStatus } from '../hooks/use-note-autosave';
import { useNoteAutosave } from '../hooks/use-note-autosave';
import { filtersSearch } from '../lib/filters-url';
import type { NotesOutletContext } from './notes-page';
import { ShareButton } from './share-dialog';
import { TagsInput } from './tags-input';

/** Shown beside the list when no note is open. */
export function NoNoteSelected() {
  return (
    <div className="editor-empty">
      <EmptyState icon={<NoteIcon width={32} height={32} />} title="Select a note, or create a new one">
        Notes save themselves as you type.
      </EmptyState>
    </div>
  );
}

/** `/notes/:noteId`: a fresh editor per note (its draft state never leaks into the next one). */
export function NoteEditorRoute() {
  const { noteId = '' } = useParams();
  return <NoteEditor key={noteId} noteId={noteId} />;
}

function BackToList() {
  const { filters } = useOutletContext<NotesOutletContext>();
  return (
    <Link to={{ pathname: '/notes', search: filtersSearch(filters) }} className="btn btn-ghost btn-sm editor-back">
      <BackIcon />
      <span>All notes</span>
    </Link>
  );
}

function NoteEditor({ noteId }: { noteId: string }) {
  const note = useNote(noteId);
  if (note.data) return <NoteEditorForm note={note.data} />;
  if (note.isPending)
    return (
      <div className="editor-empty">
        <Spinner label="Opening note…" />
      </div>
    );
  const notFound = note.error instanceof ApiError && note.error.status === 404;
  return (
    <div className="editor-empty">
      <BackToList />
      {notFound ? (
        <EmptyState icon={<NoteIcon />} title="This note does not exist">
          It may have been deleted for good.
        </EmptyState>
      ) : (
        <ErrorState title="The note could not be opened" error={note.error} onRetry={() => void note.refetch()} />
      )}
    </div>
  );
}

const STATUS_TEXT: Record<SaveStatus, string> = {
  saved: 'Saved',
  pending: 'Unsaved changes',
  saving: 'Saving…',
  invalid: 'Not saved: a title is required',
  error: 'Not saved',
  conflict: 'Changed elsewhere',
};

function SaveIndicator({ status, onRetry, error }: { status: SaveStatus; onRetry: () => void; error: unknown }) {
  return (
    <div className={`save-status save-status-${status}`} role="status" data-status={status}>
      {status === 'saved' && <CheckIcon width={14} height={14} />}
      {(status === 'error' || status === 'invalid' || status === 'conflict') && <AlertIcon width={14} height={14} />}
      <span>{STATUS_TEXT[status]}</span>
      {status === 'error' && (
        <>
          <span className="visually-hidden">: {errorMessage(error)}</span>
          <button type="button" className="link-btn" onClick={onRetry}>
            Retry
          </button>
        </>
      )}
    </div>
  );
}

function NoteEditorForm({ note }: { note: Note }) {
  const navigate = useNavigate();
  const location = useLocation();
  const { filters } = useOutletContext<NotesOutletContext>();
  const titleId = useId();
  const textId = useId();
  const titleRef = useRef<HTMLInputElement>(null);
  const editor = useNoteAutosave(note);
  const [confirmPurge, setConfirmPurge] = useState(false);
  const listPath = { pathname: '/notes', search: filtersSearch(filters) };

  const trashed = note.deletedAt !== null;
  const restore = useRestoreNote({ onSuccess: () => toast.success('Note restored') });
  const remove = useDeleteNote();

  // A note just created opens with its title selected, ready to be typed over.
  const isNew = (location.state as { isNew?: boolean } | null)?.isNew;
  useEffect(() => {
    if (isNew) titleRef.current?.select();
  }, [isNew]);

  const change = (patch: Partial<NoteDraft>) => editor.setDraft(patch);

  // Ctrl/⌘+S saves at once instead of after the pause (and never opens the browser's "save page").
  const { status, retry } = editor;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
        event.preventDefault();
        if (status === 'pending' || status === 'error') retry();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [status, retry]);

  const moveToTrash = async () => {
    await editor.flush();
    remove.mutate(
      { id: note.id },
      {
        onSuccess: () => {
          navigate(listPath);
          toast.success('Moved to the trash', { label: 'Undo', run: () => restore.mutate(note.id) });
        },
      },
    );
  };

  return (
    <article className="editor" aria-labelledby={titleId}>
      <div className="editor-toolbar">
        <BackToList />
        {trashed ? (
          <span className="badge badge-danger">In the trash</span>
        ) : (
          <SaveIndicator status={editor.status} error={editor.error} onRetry={editor.retry} />
        )}
        <div className="editor-actions">
          {trashed ? (
            <>
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                onClick={() => restore.mutate(note.id)}
                disabled={restore.isPending}
              >
                <RestoreIcon />
                Restore
              </button>
              <button type="button" className="btn btn-danger btn-sm" onClick={() => setConfirmPurge(true)}>
                <TrashIcon />
                Delete forever
              </button>
            </>
          ) : (
            <>
              <ShareButton note={note} />
              <button
                type="button"
                className="icon-btn"
                aria-pressed={note.isPinned}
                aria-label={note.isPinned ? 'Unpin' : 'Pin'}
                title={note.isPinned ? 'Unpin' : 'Pin to the top'}
                disabled={editor.status === 'saving' || editor.status === 'conflict'}
                onClick={() => void editor.setFlags({ isPinned: !note.isPinned })}
              >
                <PinIcon />
              </button>
              <button
                type="button"
                className="icon-btn"
                aria-label={note.isArchived ? 'Unarchive' : 'Archive'}
                title={note.isArchived ? 'Move back to notes' : 'Archive'}
                disabled={editor.status === 'saving' || editor.status === 'conflict'}
                onClick={() =>
                  void editor
                    .setFlags({ isArchived: !note.isArchived })
                    .then((ok) => ok && toast(note.isArchived ? 'Moved back to notes' : 'Archived'))
                }
              >
                <ArchiveIcon />
              </button>
              <button
                type="button"
                className="icon-btn icon-btn-danger"
                aria-label="Move to trash"
                title="Move to trash"
                disabled={remove.isPending}
                onClick={() => void moveToTrash()}
              >
                <TrashIcon />
              </button>
            </>
          )}
        </div>
      </div>

      {editor.conflict && (
        <ConflictPanel theirs={editor.conflict} mine={editor.draft} onKeepMine={editor.keepMine} onTakeTheirs={editor.takeTheirs} />
      )}

      <div className="editor-body">
        <div className="editor-flags">
          {note.isPinned && <span className="badge">Pinned</span>}
          {note.isArchived && <span className="badge">Archived</span>}
        </div>
        <label htmlFor={titleId} className="visually-hidden">
          Title
        </label>
        <input
          id={titleId}
          ref={titleRef}
          className="editor-title"
          value={editor.draft.title}
          maxLength={NOTE_LIMITS.title.max}
          readOnly={trashed}
          placeholder="Title"
          aria-invalid={editor.status === 'invalid' || undefined}
          onChange={(e) => change({ title: e.target.value })}
          onKeyDown={(e) => {
            // Enter in the title moves on to the text, as in most editors.
            if (e.key === 'Enter') {
              e.preventDefault();
              document.getElementById(textId)?.focus();
            }
          }}
        />
        <TagsInput tags={editor.draft.tags} onChange={(tags) => change({ tags })} disabled={trashed} />
        <label htmlFor={textId} className="visually-hidden">
          Text
        </label>
        <textarea
          id={textId}
          className="editor-text"
          value={editor.draft.text}
          maxLength={NOTE_LIMITS.text.max}
          readOnly={trashed}
          placeholder="Start writing…"
          onChange={(e) => change({ text: e.target.value })}
        />
      </div>
      <footer className="editor-footer">
        <span title={formatDateTime(note.updatedAt)}>Edited {formatRelative(note.updatedAt)}</span>
        <span aria-hidden="true">·</span>
        <span>Version {note.version}</span>
        {trashed && note.deletedAt && (
          <>
            <span aria-hidden="true">·</span>
            <span>Deleted {formatRelative(note.deletedAt)}; removed for good after 30 days</span>
          </>
        )}
      </footer>

      <ConfirmDialog
        open={confirmPurge}
        title="Delete this note forever?"
        confirmLabel="Delete forever"
        danger
        busy={remove.isPending}
        onCancel={() => setConfirmPurge(false)}
        onConfirm={() =>
          remove.mutate(
            { id: note.id, permanent: true },
            {
              onSuccess: () => {
                setConfirmPurge(false);
                navigate(listPath);
                toast.success('Note deleted for good');
              },
            },
          )
        }
      >
        <p>“{note.title}” will be gone for good. This cannot be undone.</p>
      </ConfirmDialog>
    </article>
  );
}

/** Shown on a 409: the stored (newer) version beside the unsaved draft, and the choice. */
function ConflictPanel({
  theirs,
  mine,
  onKeepMine,
  onTakeTheirs,
}: {
  theirs: Note;
  mine: NoteDraft;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const headingId = useId();
  const ref = useRef<HTMLElement>(null);
  // Move focus here so keyboard and screen-reader users meet the choice at once.
  useEffect(() => ref.current?.focus(), []);
  return (
    <section ref={ref} className="conflict" role="alert" aria-labelledby={headingId} tabIndex={-1}>
      <h2 id={headingId} className="conflict-title">
        <AlertIcon /> This note was changed somewhere else
      </h2>
      <p className="conflict-lead">
        A newer version (version {theirs.version}, saved {formatRelative(theirs.updatedAt)}) was saved while you were editing. Your changes
        are not saved yet. Which version do you want to keep?
      </p>
      <div className="conflict-compare">
        <div className="conflict-version" aria-label="Newer version">
          <h3>Newer version</h3>
          <p className="conflict-note-title">{theirs.title}</p>
          {theirs.tags.length > 0 && <p className="conflict-tags">{theirs.tags.join(', ')}</p>}
          <p className="conflict-text">{theirs.text || <em>(no text)</em>}</p>
        </div>
        <div className="conflict-version conflict-version-mine" aria-label="Your version">
          <h3>Your version</h3>
          <p className="conflict-note-title">{mine.title}</p>
          {mine.tags.length > 0 && <p className="conflict-tags">{mine.tags.join(', ')}</p>}
          <p className="conflict-text">{mine.text || <em>(no text)</em>}</p>
        </div>
      </div>
      <div className="conflict-actions">
        <button type="button" className="btn btn-primary" onClick={onKeepMine}>
          Keep mine
        </button>
        <button type="button" className="btn btn-secondary" onClick={onTakeTheirs}>
          Use the newer version
        </button>
      </div>
    </section>
  );
}
