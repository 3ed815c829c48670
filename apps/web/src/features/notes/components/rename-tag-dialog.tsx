import type { RenameTagResponse } from '@micronote/contracts';
import { NOTE_LIMITS } from '@micronote/contracts';
import { useId, useState } from 'react';

import { ConfirmDialog } from '../../../components/confirm-dialog';
import { errorMessage } from '../../../lib/api-client';
import { plural } from '../../../lib/format';
import { useRenameTag } from '../api/rename-tag';
import { isTagOrChild } from '../lib/tag-tree';

export interface RenameTagDialogProps {
  /** The tag being renamed. */
  tag: string;
  /** Every tag there is (with the parents that exist only through children), to tell a rename from a merge. */
  knownTags: ReadonlySet<string>;
  onClose: () => void;
  onRenamed: (from: string, to: string, result: RenameTagResponse) => void;
}

/** What is wrong with a new name before asking the server (which checks the same and more). */
function problem(from: string, to: string): string | null {
  if (!to) return 'Enter the new name.';
  if ([...to].length > NOTE_LIMITS.tags.max) return `A tag has at most ${NOTE_LIMITS.tags.max} characters.`;
  const parts = to.split('/');
  if (parts.some((p) => !p.trim())) return 'Each level of a tag needs a name (no empty parts around “/”).';
  if (parts.length > NOTE_LIMITS.tagDepth) return `Tags nest at most ${NOTE_LIMITS.tagDepth} levels deep.`;
  if (to !== from && isTagOrChild(to, from)) return 'A tag cannot move under itself.';
  return null;
}

/**
 * Renames a tag and its sub-tags on every note (`POST /api/notes/tags/rename`). A name that
 * already exists merges the two; the dialog says so before the user confirms.
 */
export function RenameTagDialog({ tag, knownTags, onClose, onRenamed }: RenameTagDialogProps) {
  const inputId = useId();
  const hintId = useId();
  const [to, setTo] = useState(tag);
  const [touched, setTouched] = useState(false);
  const rename = useRenameTag({ onSuccess: (result, input) => onRenamed(input.from, input.to, result) });
  const name = to.trim();
  const invalid = problem(tag, name);
  const merge = name !== tag && knownTags.has(name);
  const children = [...knownTags].filter((t) => t !== tag && isTagOrChild(t, tag)).length;
  const error = (touched && invalid) || (rename.isError ? errorMessage(rename.error) : null);

  return (
    <ConfirmDialog
      open
      title={`Rename “${tag}”`}
      confirmLabel={merge ? 'Merge' : 'Rename'}
      busy={rename.isPending || !!invalid || name === tag}
      onCancel={onClose}
      onConfirm={() => {
        setTouched(true);
        if (invalid || name === tag) return;
        rename.mutate({ from: tag, to: name });
      }}
    >
      <div className="field">
        <label htmlFor={inputId} className="field-label">
          New name
        </label>
        <input
          id={inputId}
          className="input"
          value={to}
          autoFocus
          maxLength={NOTE_LIMITS.tags.max}
          aria-invalid={error ? true : undefined}
          aria-describedby={hintId}
          onChange={(event) => {
            setTo(event.target.value);
            setTouched(true);
            rename.reset();
          }}
        />
      </div>
      <div id={hintId}>
        <p>
          Changes the tag on every note that has it
          {children > 0 ? `, and its ${plural(children, 'sub-tag')} with it (“${tag}/…” becomes “${name || '…'}/…”)` : ''}.
        </p>
        {merge && (
          <p className="rename-merge-note" role="note">
            “{name}” already exists: the notes tagged “{tag}” join it, and the two tags become one.
          </p>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </ConfirmDialog>
  );
}
