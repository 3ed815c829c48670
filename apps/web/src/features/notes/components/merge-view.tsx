import type { Note } from '@micronote/contracts';
import { useEffect, useId, useMemo, useRef, useState } from 'react';

import { AlertIcon } from '../../../components/icons';
import { errorMessage } from '../../../lib/api-client';
import { formatRelative } from '../../../lib/format';
import type { ConflictChunk, MergeFields, MergePlan, Resolution } from '../lib/merge';
import { applyResolutions, planMerge } from '../lib/merge';

export interface MergeViewProps {
  /** What both sides started from. */
  base: MergeFields;
  /** The user's draft. */
  mine: MergeFields;
  /** The note as stored now. */
  current: Note;
  /** Saves the merge; resolves to the error when that failed (the view stays, the draft too). */
  onSave: (merged: MergeFields) => Promise<unknown>;
}

const NONE: ReadonlyMap<number, Resolution> = new Map();

const shown = (lines: string[]) => (lines.length === 0 || (lines.length === 1 && lines[0] === '') ? <em>(removed)</em> : lines.join('\n'));

/**
 * The edits of this tab and of another one touched the same lines. What merges by itself is
 * merged already (node-diff3 on base / mine / theirs, as the server does); each overlapping hunk
 * shows mine beside theirs, to keep one or write the lines by hand. "Save merged" saves over the
 * stored version. Replaces the old all-or-nothing conflict panel.
 */
export function MergeView({ base, mine, current, onSave }: MergeViewProps) {
  const headingId = useId();
  const ref = useRef<HTMLElement>(null);
  const theirs = useMemo(() => ({ title: current.title, text: current.text, tags: current.tags }), [current]);
  const plan = useMemo(() => planMerge(base, mine, theirs), [base, mine, theirs]);
  // Choices belong to one plan: another round (the note moved on again) starts over.
  const [choices, setChoices] = useState<{ plan: MergePlan; resolutions: Map<number, Resolution> }>({ plan, resolutions: new Map() });
  const resolutions = choices.plan === plan ? choices.resolutions : NONE;
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Focus here so keyboard and screen-reader users meet the choice at once.
  useEffect(() => ref.current?.focus(), []);

  const merged = applyResolutions(plan, resolutions);
  const choose = (id: number, resolution: Resolution) =>
    setChoices((c) => ({ plan, resolutions: new Map(c.plan === plan ? c.resolutions : NONE).set(id, resolution) }));
  const all = (choice: 'mine' | 'theirs') => setChoices({ plan, resolutions: new Map(plan.conflicts.map((c) => [c.id, { choice }])) });
  const left = plan.conflicts.filter((c) => !resolutions.has(c.id)).length;

  const save = async () => {
    if (!merged) return;
    setSaving(true);
    setError(null);
    const failure = await onSave(merged);
    setSaving(false);
    if (failure) setError(failure);
  };

  return (
    <section ref={ref} className="conflict merge" aria-labelledby={headingId} tabIndex={-1}>
      <h2 id={headingId} className="conflict-title">
        <AlertIcon /> Merge your changes with the newer version
      </h2>
      <p className="conflict-lead">
        Version {current.version} was saved elsewhere {formatRelative(current.updatedAt)} while you were editing.{' '}
        {plan.conflicts.length === 0
          ? 'Your changes and theirs merge without overlapping.'
          : `What did not overlap is merged already; ${plan.conflicts.length === 1 ? 'one place was' : `${plan.conflicts.length} places were`} changed on both sides.`}{' '}
        Your text is safe in the editor until you save.
      </p>
      {plan.conflicts.length > 1 && (
        <div className="conflict-actions">
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => all('mine')}>
            Keep all mine
          </button>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => all('theirs')}>
            Keep all theirs
          </button>
        </div>
      )}
      <ol className="merge-hunks">
        {plan.conflicts.map((chunk, i) => (
          <MergeHunk
            key={`${chunk.id}:${chunk.mine.join('\n')}`}
            chunk={chunk}
            n={i + 1}
            of={plan.conflicts.length}
            resolution={resolutions.get(chunk.id)}
            onChoose={(r) => choose(chunk.id, r)}
          />
        ))}
      </ol>
      {error !== null && (
        <p className="field-error" role="alert">
          Not saved: {errorMessage(error)} Your text is still in the editor.
        </p>
      )}
      <div className="conflict-actions">
        <button type="button" className="btn btn-primary" disabled={!merged || saving} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save merged'}
        </button>
        {left > 0 && <span className="merge-left">{left === 1 ? 'One place left to decide' : `${left} places left to decide`}</span>}
      </div>
    </section>
  );
}

function MergeHunk({
  chunk,
  n,
  of,
  resolution,
  onChoose,
}: {
  chunk: ConflictChunk;
  n: number;
  of: number;
  resolution: Resolution | undefined;
  onChoose: (resolution: Resolution) => void;
}) {
  const editId = useId();
  const choice = resolution?.choice;
  const edit = () => onChoose({ choice: 'edit', text: [...chunk.mine, ...chunk.theirs].join('\n') });
  return (
    <li className="merge-hunk" aria-label={`Conflict ${n} of ${of}${chunk.field === 'title' ? ' (title)' : ''}`} data-choice={choice}>
      <p className="merge-hunk-title">
        {chunk.field === 'title' ? 'Title' : `Conflict ${n} of ${of}`}
        {choice && <span className="badge">{choice === 'mine' ? 'Keeping mine' : choice === 'theirs' ? 'Keeping theirs' : 'Edited'}</span>}
      </p>
      {resolution?.choice === 'edit' ? (
        <>
          <label htmlFor={editId} className="visually-hidden">
            The merged lines
          </label>
          <textarea
            id={editId}
            className="input merge-edit"
            value={resolution.text}
            rows={Math.min(12, Math.max(3, resolution.text.split('\n').length + 1))}
            onChange={(e) => onChoose({ choice: 'edit', text: e.target.value })}
          />
        </>
      ) : (
        <div className="conflict-compare">
          <div className={`conflict-version conflict-version-mine${choice === 'mine' ? ' is-chosen' : ''}`} aria-label="Mine">
            <h3>Mine</h3>
            <pre className="conflict-text">{shown(chunk.mine)}</pre>
          </div>
          <div className={`conflict-version${choice === 'theirs' ? ' is-chosen' : ''}`} aria-label="Theirs">
            <h3>Theirs</h3>
            <pre className="conflict-text">{shown(chunk.theirs)}</pre>
          </div>
        </div>
      )}
      <div className="conflict-actions">
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          aria-pressed={choice === 'mine'}
          onClick={() => onChoose({ choice: 'mine' })}
        >
          Keep mine
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          aria-pressed={choice === 'theirs'}
          onClick={() => onChoose({ choice: 'theirs' })}
        >
          Keep theirs
        </button>
        <button type="button" className="btn btn-ghost btn-sm" aria-pressed={choice === 'edit'} onClick={edit} disabled={choice === 'edit'}>
          Edit
        </button>
      </div>
    </li>
  );
}
