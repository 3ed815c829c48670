import type { MergeConflictBody, Note, UpdatedNote, UpdateNoteRequest } from '@micronote/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';

import { ApiError, errorMessage } from '../../../lib/api-client';
import { toast } from '../../../lib/toast';
import { upsertNoteInCache } from '../api/note-cache';
import { noteKeys } from '../api/note-keys';
import { updateNote } from '../api/update-note';
import type { MergeFields } from '../lib/merge';
import { mergeClean } from '../lib/merge';

export interface NoteDraft {
  title: string;
  text: string;
  tags: string[];
}

/**
 * What the editor shows: `saved` (nothing unsaved), `pending` (edited, waiting for a pause in
 * typing), `saving`, `invalid` (nothing saved until fixed), `error` (retried), `conflict` (the
 * note changed elsewhere since this draft started, and the edits overlap: the user merges).
 */
export type SaveStatus = 'saved' | 'pending' | 'saving' | 'invalid' | 'error' | 'conflict';

type Phase = 'idle' | 'saving' | 'error' | 'conflict';

export const AUTOSAVE_DELAY_MS = 700;
const ERROR_RETRY_MS = 5_000;

export const toDraft = (note: Pick<Note, 'title' | 'text' | 'tags'>): NoteDraft => ({
  title: note.title,
  text: note.text,
  tags: note.tags,
});

/**
 * A save that met overlapping edits: `base` is what both sides started from, `current` the note
 * as stored now. "Mine" is the draft (read-only meanwhile, so it is exactly what the merge shows).
 */
export interface NoteConflict {
  base: MergeFields;
  current: Note;
}

/** The note of an answer, without the answer's `merged` flag (it is no field of the note). */
function noteOf(saved: UpdatedNote): Note {
  const { merged: _merged, ...note } = saved;
  return note;
}

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
 * version the draft started from as `baseVersion`: when the note moved on meanwhile the server
 * merges (`merged: true`; the draft takes the merged text, plus whatever was typed during the
 * save) or, where both changed the same lines, answers 409 MERGE_CONFLICT: the draft is kept
 * (read-only) until the user merges it (`resolveConflict`). The draft is never dropped.
 */
export function useNoteAutosave(note: Note) {
  const queryClient = useQueryClient();
  const [base, setBase] = useState(note);
  const [draft, setDraftState] = useState<NoteDraft>(() => toDraft(note));
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<NoteConflict | null>(null);
  /** When the last save came back merged with someone else's change (for a short notice). */
  const [mergedAt, setMergedAt] = useState<number | null>(null);

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
  const latest = useRef({ draft, base, dirty, invalid, phase, conflict });
  useEffect(() => {
    latest.current = { draft, base, dirty, invalid, phase, conflict };
  });

  /** A 409 with the stored note: the merge view, with the base the server (or this tab) merged against. */
  const toConflict = useCallback((e: unknown, from: MergeFields): boolean => {
    const current = e instanceof ApiError && e.status === 409 ? e.detail<Note>('current') : undefined;
    if (!current) return false;
    const base = e instanceof ApiError ? e.detail<MergeConflictBody['base']>('base') : undefined;
    setConflict({ base: toDraft(base ?? from), current });
    setPhase('conflict');
    return true;
  }, []);

  const save = useCallback(
    async (from: Note, extra: Pick<UpdateNoteRequest, 'isPinned' | 'isArchived'> = {}): Promise<boolean> => {
      const snapshot = latest.current.draft;
      const patch = changes(toDraft(from), snapshot);
      const hasContent = Object.keys(patch).length > 0;
      // Content always goes with the version it was edited from, to merge against; a pin or
      // archive alone does not need one (it cannot overwrite anybody's text).
      const body: UpdateNoteRequest = { ...patch, ...extra, ...(hasContent ? { baseVersion: from.version } : {}) };
      if (Object.keys(body).length === 0) return true;
      setPhase('saving');
      try {
        const answer = await updateNote({ id: from.id, patch: body });
        const saved = noteOf(answer);
        if (upsertNoteInCache(queryClient, saved).tagsChanged) void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
        setError(null);
        if (answer.merged) {
          // Someone else's change is in the saved note: the draft takes it, keeping what was typed
          // while the save was under way (merged the same way; overlapping: the merge view).
          const now = latest.current.draft;
          const next = sameDraft(now, snapshot) ? toDraft(saved) : mergeClean(snapshot, now, toDraft(saved));
          setBase(saved);
          if (!next) {
            setConflict({ base: snapshot, current: saved });
            setPhase('conflict');
            return false;
          }
          setDraftState(next);
          setMergedAt(Date.now());
        } else {
          setBase(saved);
        }
        setPhase('idle');
        return true;
      } catch (e) {
        if (!toConflict(e, toDraft(from))) {
          setError(e);
          setPhase('error');
        }
        return false;
      }
    },
    [queryClient, toConflict],
  );

  /**
   * Saves the user's merge of a conflict over the stored note (`baseVersion` = its version).
   * Meeting yet another change that overlaps opens the merge again, with the merge as "mine";
   * any other failure leaves the conflict (and the draft) as they were. Resolves to the error, if any.
   */
  const resolveConflict = useCallback(
    async (merged: MergeFields): Promise<unknown> => {
      const open = latest.current.conflict;
      if (!open) return null;
      const { current } = open;
      const patch = changes(toDraft(current), merged);
      setPhase('saving');
      try {
        const saved =
          Object.keys(patch).length === 0
            ? current
            : noteOf(await updateNote({ id: current.id, patch: { ...patch, baseVersion: current.version } }));
        if (upsertNoteInCache(queryClient, saved).tagsChanged) void queryClient.invalidateQueries({ queryKey: noteKeys.tags() });
        setBase(saved);
        setDraftState(toDraft(saved));
        setConflict(null);
        setError(null);
        setPhase('idle');
        return null;
      } catch (e) {
        if (e instanceof ApiError && e.status === 409 && e.detail<Note>('current')) {
          setDraftState(merged);
          toConflict(e, merged);
          return null;
        }
        setPhase('conflict');
        return e;
      }
    },
    [queryClient, toConflict],
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
      updateNote({ id: from.id, patch: { ...changes(toDraft(from), last), baseVersion: from.version } }).then(
        (saved) => upsertNoteInCache(queryClient, noteOf(saved)),
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
    /** Conflict: save the user's merge (see resolveConflict). */
    resolveConflict,
    /** When a save last came back merged with changes from elsewhere (ms since epoch). */
    mergedAt,
  };
}
