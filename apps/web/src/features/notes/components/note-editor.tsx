import type { Note } from '@micronote/contracts';
import { ErrorCode, NOTE_LIMITS } from '@micronote/contracts';
import { lazy, Suspense, useCallback, useDeferredValue, useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useOutletContext, useParams } from 'react-router-dom';

import { ConfirmDialog } from '../../../components/confirm-dialog';
import {
  AlertIcon,
  ArchiveIcon,
  BackIcon,
  CheckIcon,
  HistoryIcon,
  NoteIcon,
  PinIcon,
  RestoreIcon,
  TrashIcon,
} from '../../../components/icons';
import { EmptyState, ErrorState, Spinner } from '../../../components/states';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { toast } from '../../../lib/toast';
import { useMediaQuery } from '../../../lib/use-media-query';
import { useDeleteNote } from '../api/delete-note';
import { useNote } from '../api/get-note';
import { useRestoreNote } from '../api/restore-note';
import { useTickTask } from '../api/tick-task';
import { PresenceBar } from '../collab/presence-bar';
import { isLiveNote, useLiveNote } from '../collab/use-live-note';
import type { NoteDraft, SaveStatus } from '../hooks/use-note-autosave';
import { useNoteAutosave } from '../hooks/use-note-autosave';
import { filtersSearch } from '../lib/filters-url';
import type { TaskItem } from '../lib/task-list';
import { MergeView } from './merge-view';
import type { PendingTicks } from './note-preview';
import { NotePreview } from './note-preview';
import type { NotesOutletContext } from './notes-page';
import { ShareButton } from './share-dialog';
import { TagsInput } from './tags-input';
import { TextEditor } from './text-editor';

/** The history drawer and its diff library load when it is first opened. */
const HistoryPanel = lazy(() => import('./history-panel').then((m) => ({ default: m.HistoryPanel })));

/** Editor and preview side by side from this width up; below it, one at a time. */
const WIDE = '(min-width: 1200px)';

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
  const [historyOpen, setHistoryOpen] = useState(false);
  const wide = useMediaQuery(WIDE);
  const [mode, setMode] = useState<'edit' | 'preview'>('edit');
  const ticks = useTaskTicks(note.id);
  const mergedNotice = useRecent(editor.mergedAt, 4000);
  const listPath = { pathname: '/notes', search: filtersSearch(filters) };

  const trashed = note.deletedAt !== null;
  // Shared with people (or someone else's): the text is edited live, saved by the CRDT; the
  // title and tags still save through the draft. Own unshared notes: the draft saves it all.
  const liveMode = isLiveNote(note);
  const { live, failed: liveFailed } = useLiveNote(note.id, liveMode);
  const liveReady = live !== null && live.state.synced;
  const isOwner = !note.access || note.access.role === 'owner';
  const viewer = note.access?.role === 'viewer' || live?.state.role === 'viewer';
  const liveReadOnly = !live || !live.session.canEdit || live.state.status === 'closed';
  const currentText = liveReady ? live.text : editor.draft.text;
  // The preview follows the text at low priority: typing in a long note never waits for it.
  const previewText = useDeferredValue(currentText);
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

  const closeHistory = useCallback(() => setHistoryOpen(false), []);

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
        ) : viewer ? (
          <span className="badge badge-viewer" data-testid="read-only">
            Read only
          </span>
        ) : (
          <SaveIndicator status={editor.status} error={editor.error} onRetry={editor.retry} />
        )}
        {liveMode && (
          <PresenceBar
            state={live?.state ?? { status: liveFailed ? 'closed' : 'joining', role: null, synced: false, closedReason: null, peers: [] }}
          />
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
              <ShareButton note={note} onLeft={() => navigate({ pathname: '/notes', search: '?view=shared' })} />
              {!viewer && (
                <button
                  type="button"
                  className="icon-btn"
                  aria-label="History"
                  title="History: earlier versions"
                  aria-expanded={historyOpen}
                  onClick={() => setHistoryOpen((open) => !open)}
                >
                  <HistoryIcon />
                </button>
              )}
              {isOwner && (
                <>
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
            </>
          )}
        </div>
      </div>

      {mergedNotice && (
        <p className="merge-notice" role="status">
          Merged with changes from another tab
        </p>
      )}

      {editor.conflict && (
        <MergeView base={editor.conflict.base} mine={editor.draft} current={editor.conflict.current} onSave={editor.resolveConflict} />
      )}

      <div className="editor-body">
        <div className="editor-flags">
          {note.isPinned && <span className="badge">Pinned</span>}
          {note.isArchived && <span className="badge">Archived</span>}
          {note.access && !isOwner && (
            <span className="badge">
              Shared by {note.access.owner.displayName || note.access.owner.username} · {viewer ? 'you can view' : 'you can edit'}
            </span>
          )}
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
          readOnly={trashed || viewer || editor.status === 'conflict'}
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
        <TagsInput
          tags={editor.draft.tags}
          onChange={(tags) => change({ tags })}
          disabled={trashed || viewer || editor.status === 'conflict'}
        />
        {!wide && (
          <div className="editor-mode" role="group" aria-label="Show">
            <button type="button" className="btn btn-ghost btn-sm" aria-pressed={mode === 'edit'} onClick={() => setMode('edit')}>
              Edit
            </button>
            <button type="button" className="btn btn-ghost btn-sm" aria-pressed={mode === 'preview'} onClick={() => setMode('preview')}>
              Preview
            </button>
          </div>
        )}
        <div className={wide ? 'editor-panes is-split' : 'editor-panes'}>
          {(wide || mode === 'edit') && liveMode && (
            // Until the first sync the note's stored text is shown read-only (the live binding
            // needs the document's text to start from); then the editor is bound to the Y.Text.
            <TextEditor
              key={liveReady ? 'live' : 'waiting'}
              id={textId}
              label="Text"
              value={liveReady ? live.text : note.text}
              live={liveReady ? live.extension : undefined}
              maxLength={NOTE_LIMITS.text.max}
              readOnly={trashed || liveReadOnly}
              placeholder={liveReady && !liveReadOnly ? 'Start writing… (Markdown)' : undefined}
              onChange={ignoreText}
            />
          )}
          {(wide || mode === 'edit') && !liveMode && (
            <TextEditor
              id={textId}
              label="Text"
              value={editor.draft.text}
              maxLength={NOTE_LIMITS.text.max}
              readOnly={trashed || viewer || editor.status === 'conflict'}
              placeholder="Start writing… (Markdown)"
              onChange={(text) => change({ text })}
            />
          )}
          {(wide || mode === 'preview') && (
            <section className="editor-preview" aria-label="Preview">
              <NotePreview
                text={previewText}
                ticks={ticks.pending}
                disabled={trashed || viewer}
                onToggleTask={ticks.toggle}
                onTickShown={ticks.shown}
              />
            </section>
          )}
        </div>
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

      {historyOpen && (
        <Suspense
          fallback={
            <aside className="history">
              <Spinner label="Opening the history…" />
            </aside>
          }
        >
          <HistoryPanel
            noteId={note.id}
            currentText={currentText}
            currentVersion={editor.base.version}
            beforeRestore={editor.flush}
            onClose={closeHistory}
          />
        </Suspense>
      )}

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

/** A live note's text is saved by the CRDT, not by the draft. */
const ignoreText = () => undefined;

/** True for `ms` after `at` (a short-lived notice). */
function useRecent(at: number | null, ms: number): boolean {
  const [over, setOver] = useState<number | null>(null);
  useEffect(() => {
    if (at === null) return;
    const timer = setTimeout(() => setOver(at), ms);
    return () => clearTimeout(timer);
  }, [at, ms]);
  return at !== null && over !== at;
}

/**
 * Ticking a box in the preview: shown at once, sent as `POST /tasks` (found by its text on the
 * server, so it never fights with the edit under way elsewhere in the note: that one carries on
 * and its save merges the tick in). Until the text shows it the tick overrules the text; on a
 * failure it is rolled back, with a toast.
 */
function useTaskTicks(noteId: string) {
  const tick = useTickTask();
  const [pending, setPending] = useState<PendingTicks>(new Map());
  const drop = useCallback(
    (index: number) =>
      setPending((m) => {
        if (!m.has(index)) return m;
        const next = new Map(m);
        next.delete(index);
        return next;
      }),
    [],
  );
  const toggle = useCallback(
    (task: TaskItem, checked: boolean) => {
      setPending((m) => new Map(m).set(task.index, { text: task.text, checked }));
      tick.mutate(
        { id: noteId, index: task.index, text: task.text, checked },
        {
          onError: (e) => {
            drop(task.index);
            toast.error(
              e instanceof ApiError && e.code === ErrorCode.TaskNotFound
                ? `“${task.text}” is no longer in the note; nothing was ticked.`
                : `“${task.text}” was not ${checked ? 'ticked' : 'unticked'}: ${errorMessage(e)}`,
            );
          },
        },
      );
    },
    [noteId, tick, drop],
  );
  return { pending, toggle, shown: drop };
}
