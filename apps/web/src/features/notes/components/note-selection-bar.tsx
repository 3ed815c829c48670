import type { Note, NoteBulkAction } from '@micronote/contracts';
import { NOTE_LIMITS } from '@micronote/contracts';
import { useEffect, useId, useRef, useState } from 'react';

import { ConfirmDialog } from '../../../components/confirm-dialog';
import { CloseIcon } from '../../../components/icons';
import { plural } from '../../../lib/format';
import { toast } from '../../../lib/toast';
import { useBulkNotes } from '../api/bulk-notes';
import { useTags } from '../api/get-tags';
import type { NoteView } from '../api/note-keys';
import type { NoteSelection } from '../hooks/use-note-selection';
import { summarizeBulk } from '../lib/bulk-summary';

/** The actions each view offers (a list of notes has none archived, the archive none unarchived). */
const ACTIONS: Record<NoteView, NoteBulkAction[]> = {
  notes: ['pin', 'unpin', 'archive', 'trash', 'addTags', 'removeTags'],
  archived: ['pin', 'unpin', 'unarchive', 'trash', 'addTags', 'removeTags'],
  trash: ['restore', 'delete'],
  // Bulk changes are the owner's: none on notes shared with you.
  shared: [],
};

const LABELS: Record<NoteBulkAction, string> = {
  pin: 'Pin',
  unpin: 'Unpin',
  archive: 'Archive',
  unarchive: 'Unarchive',
  trash: 'Trash',
  restore: 'Restore',
  delete: 'Delete forever',
  addTags: 'Add tag…',
  removeTags: 'Remove tag…',
};

export interface NoteSelectionBarProps {
  view: NoteView;
  selection: NoteSelection;
  /** The notes of the list now (for "select all" and the tags of the selected ones). */
  notes: readonly Note[];
}

/**
 * Above the list: "select all shown", and once something is selected its count and the bulk
 * actions of this view (`POST /api/notes/bulk`). Each note succeeds or fails on its own: the
 * result says how many of each (and why), and the failed ones stay selected.
 */
export function NoteSelectionBar({ view, selection, notes }: NoteSelectionBarProps) {
  const allRef = useRef<HTMLInputElement>(null);
  const [asking, setAsking] = useState<'addTags' | 'removeTags' | 'delete' | null>(null);
  const count = selection.ids.length;
  const all = count > 0 && count === notes.length;

  const bulk = useBulkNotes({
    onSuccess: (items, input) => {
      setAsking(null);
      const summary = summarizeBulk(input.action, items);
      if (summary.failed.length === 0) {
        toast.success(summary.message);
        selection.clear();
      } else {
        toast.error(summary.message);
        selection.keep(summary.failed);
      }
    },
  });

  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = count > 0 && !all;
  }, [count, all]);

  const run = (action: NoteBulkAction, tags?: string[]) => bulk.mutate({ ids: selection.ids, action, ...(tags ? { tags } : {}) });

  return (
    <div className={`selection-bar${count > 0 ? ' is-active' : ''}`} role="region" aria-label="Selection">
      <label className="selection-all">
        <input
          ref={allRef}
          type="checkbox"
          checked={all}
          onChange={(event) => selection.setAll(event.target.checked)}
          aria-label={`Select all ${plural(notes.length, 'note')} shown`}
        />
        <span aria-hidden="true">{count > 0 ? '' : 'Select all'}</span>
      </label>
      {count > 0 && (
        <>
          <span className="selection-count" role="status">
            {count} selected
          </span>
          <div className="selection-actions" role="toolbar" aria-label="Selected notes">
            {ACTIONS[view].map((action) => (
              <button
                key={action}
                type="button"
                className={`btn btn-sm ${action === 'delete' ? 'btn-danger' : 'btn-ghost'}`}
                disabled={bulk.isPending}
                onClick={() => (action === 'addTags' || action === 'removeTags' || action === 'delete' ? setAsking(action) : run(action))}
              >
                {LABELS[action]}
              </button>
            ))}
          </div>
          <button type="button" className="icon-btn selection-clear" aria-label="Clear selection (Escape)" onClick={selection.clear}>
            <CloseIcon width={16} height={16} />
          </button>
        </>
      )}
      {(asking === 'addTags' || asking === 'removeTags') && (
        <BulkTagDialog
          mode={asking}
          count={count}
          selectedTags={[...new Set(notes.filter((n) => selection.isSelected(n.id)).flatMap((n) => n.tags))].sort()}
          busy={bulk.isPending}
          onCancel={() => setAsking(null)}
          onConfirm={(tag) => run(asking, [tag])}
        />
      )}
      <ConfirmDialog
        open={asking === 'delete'}
        title={`Delete ${plural(count, 'note')} forever?`}
        confirmLabel="Delete forever"
        danger
        busy={bulk.isPending}
        onCancel={() => setAsking(null)}
        onConfirm={() => run('delete')}
      >
        <p>They will be gone for good. This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}

function BulkTagDialog({
  mode,
  count,
  selectedTags,
  busy,
  onCancel,
  onConfirm,
}: {
  mode: 'addTags' | 'removeTags';
  count: number;
  selectedTags: string[];
  busy: boolean;
  onCancel: () => void;
  onConfirm: (tag: string) => void;
}) {
  const inputId = useId();
  const listId = useId();
  const tags = useTags();
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // Adding: any tag there is; removing: the tags the selected notes have.
  const suggestions = mode === 'addTags' ? (tags.data ?? []).map((t) => t.tag) : selectedTags;
  const adding = mode === 'addTags';
  return (
    <ConfirmDialog
      open
      title={adding ? `Add a tag to ${plural(count, 'note')}` : `Remove a tag from ${plural(count, 'note')}`}
      confirmLabel={adding ? 'Add tag' : 'Remove tag'}
      busy={busy}
      onCancel={onCancel}
      onConfirm={() => {
        const tag = value.trim();
        if (!tag || [...tag].length > NOTE_LIMITS.tags.max) {
          setProblem(`A tag has 1 to ${NOTE_LIMITS.tags.max} characters.`);
          return;
        }
        setProblem(null);
        onConfirm(tag);
      }}
    >
      <div className="field">
        <label htmlFor={inputId} className="field-label">
          Tag
        </label>
        <input
          id={inputId}
          className="input"
          list={listId}
          value={value}
          autoFocus
          maxLength={NOTE_LIMITS.tags.max}
          aria-invalid={problem ? true : undefined}
          onChange={(event) => setValue(event.target.value)}
        />
        <datalist id={listId}>
          {suggestions.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </ConfirmDialog>
  );
}
