import type { Note, UpdateNoteRequest } from '@micronote/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';

import { ApiError, errorMessage } from '../../../lib/api-client';
import { toast } from '../../../lib/toast';
import { upsertNoteInCache } from '../api/note-cache';
import { noteKeys } from '../api/note-keys';
import { updateNote } from '../api/update-note';

export interface NoteDraft {
  title: string;
  text: string;
  tags: string[];
}

/**
 * What the editor shows: `saved` (nothing unsaved), `pending` (edited, waiting for a pause in
 * typing), `saving`, `invalid` (nothing saved until fixed), `error` (retried), `conflict` (the
 * note changed elsewhere since this draft started: the user chooses).
 */
export type SaveStatus = 'saved' | 'pending' | 'saving' | 'invalid' | 'error' | 'conflict';

type Phase = 'idle' | 'saving' | 'error' | 'conflict';

export const AUTOSAVE_DELAY_MS = 700;
const ERROR_RETRY_MS = 5_000;

export const toDraft = (note: Note): NoteDraft => ({ title: note.title, text: note.text, tags: note.tags });

function sameDraft(a: NoteDraft, b: NoteDraft): boolean {
  return a.title === b.title && a.text === b.text && a.tags.length === b.tags.length && a.tags.every((t, i) => t === b.tags[i]);
}

/** Only the fields that differ, so a save never sends (or overwrites) more than was edited. */
function changes(from: NoteDraft, to: NoteDraft): UpdateNoteRequest {
  const patch: UpdateNoteRequest = {};
  if (to.title !== from.title) patch.title = to.title;
  if (to.text !== from.text) patch.text = to.text;
  if (!sameDraft({ ...from, title: '', text: '' }, { ...to, title: '', text: '' })) patch.tags = to.tags;
  return patch;
}

/**
 * The editor's draft of `note` (the cached copy, kept current by realtime events), saved
 * automatically a moment after the last change, one request at a time. Each save sends the
 * version the draft started from; a 409 means someone else saved first, and the draft is kept
 * until the user keeps it (saved over the newer version) or takes theirs.
 */
export function useNoteAutosave(note: Note) {
  const queryClient = useQueryClient();
  const [base, setBase] = useState(note);
  const [draft, setDraftState] = useState<NoteDraft>(() => toDraft(note));
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Note | null>(null);

  const dirty = !sameDraft(draft, toDraft(base));
  const invalid = draft.title.trim() === '';

  // A newer version arrived (another tab, or our own save's answer through the cache). With
  // nothing unsaved, follow it; if it holds exactly our draft, it is our save; otherwise keep the
  // draft: its save will meet the newer version as a conflict.
  if (note.version > base.version && phase !== 'saving') {
    if (!dirty) {
      setBase(note);
      setDraftState(toDraft(note));
    } else if (sameDraft(draft, toDraft(note))) {
      setBase(note);
    }
  }

  // The latest state for callbacks that outlive a render (timers, unmount).
  const latest = useRef({ draft, base, dirty, invalid, phase });
  useEffect(() => {
    latest.current = { draft, base, dirty, invalid, phase };
  });

  const save = useCallback(
    async (from: Note, extra: Pick<UpdateNoteRequest, 'isPinned' | 'isArchived'> = {}): Promise<boolean> => {
      const snapshot = latest.current.draft;
      const patch = changes(toDraft(from), snapshot);
      const hasContent = Object.keys(patch).length > 0;
      // Content always goes with the version it was edited from; a pin or archive alone does not
      // need one (it cannot overwrite anybody's text).
      const body: UpdateNoteRequest = { ...patch, ...extra, ...(hasContent ? { version: from.version } : {}) };
      if (Object.keys(body).length === 0) return true;
      setPhase('saving');
      try {
        const saved = await updateNote({ id: from.id, patch: body });
        if (upsertNoteInCache(queryClient, saved).tagsChanged) void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
        setBase(saved);
        setError(null);
        setPhase('idle');
        return true;
      } catch (e) {
        const current = e instanceof ApiError && e.status === 409 ? e.detail<Note>('current') : undefined;
        if (current) {
          setConflict(current);
          setPhase('conflict');
        } else {
          setError(e);
          setPhase('error');
        }
        return false;
      }
    },
    [queryClient],
  );

  // Save a pause after the last edit; after an error, retry a while later.
  useEffect(() => {
    if (!dirty || invalid || phase === 'saving' || phase === 'conflict') return;
    const timer = setTimeout(() => void save(base), phase === 'error' ? ERROR_RETRY_MS : AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, base, dirty, invalid, phase, save]);

  // Leaving the note (another note, another page) with unsaved edits: send them now.
  useEffect(
    () => () => {
      const { dirty: unsaved, invalid: bad, phase: lastPhase, base: from, draft: last } = latest.current;
      if (!unsaved || bad || lastPhase === 'conflict' || lastPhase === 'saving') return;
      updateNote({ id: from.id, patch: { ...changes(toDraft(from), last), version: from.version } }).then(
        (saved) => upsertNoteInCache(queryClient, saved),
        (e: unknown) => toast.error(`Your last edit of “${last.title}” was not saved: ${errorMessage(e)}`),
      );
    },
    [queryClient],
  );

  // Closing the tab with unsaved edits: ask first.
  useEffect(() => {
    if (!dirty && phase !== 'saving') return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty, phase]);

  const status: SaveStatus =
    phase === 'conflict'
      ? 'conflict'
      : phase === 'saving'
        ? 'saving'
        : invalid
          ? 'invalid'
          : phase === 'error'
            ? 'error'
            : dirty
              ? 'pending'
              : 'saved';

  return {
    draft,
    status,
    error,
    conflict,
    /** The newest server state this draft is based on (its flags are the note's). */
    base,
    setDraft: (change: Partial<NoteDraft>) => {
      setDraftState((d) => ({ ...d, ...change }));
      if (phase === 'error') setPhase('idle');
    },
    /** Save now (the retry button). */
    retry: () => void save(base),
    /** Pin/unpin or archive/unarchive, together with any unsaved edits. */
    setFlags: (flags: Pick<UpdateNoteRequest, 'isPinned' | 'isArchived'>) => save(base, flags),
    /** Save pending edits before something else happens to the note (trash). */
    flush: () => (dirty && !invalid && phase !== 'conflict' ? save(base) : Promise.resolve(true)),
    /** Conflict: save my draft over the newer version. */
    keepMine: () => {
      if (!conflict) return;
      setConflict(null);
      setBase(conflict);
      setPhase('idle');
      void save(conflict);
    },
    /** Conflict: drop my draft and take the newer version. */
    takeTheirs: () => {
      if (!conflict) return;
      upsertNoteInCache(queryClient, conflict);
      setConflict(null);
      setBase(conflict);
      setDraftState(toDraft(conflict));
      setPhase('idle');
    },
  };
}
