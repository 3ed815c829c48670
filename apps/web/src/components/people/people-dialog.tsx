import type { AccessRole } from '@micronote/contracts';
import { useEffect, useId, useRef } from 'react';

import type { SharedItem } from './member-keys';
import { PeopleSection } from './people-section';

/**
 * PeopleSection in a modal on the native <dialog> (focus kept inside, Escape closes, focus goes
 * back where it was): how a todo list is shared.
 */
export function PeopleDialog({
  item,
  title,
  role,
  onClose,
  onLeft,
}: {
  item: SharedItem;
  title: string;
  role: AccessRole;
  onClose: () => void;
  onLeft?: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    return () => dialog?.close?.();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog share-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-inner">
        <h2 id={titleId} className="dialog-title">
          {role === 'owner' ? 'Share' : 'People in'} “{title}”
        </h2>
        <PeopleSection
          item={item}
          role={role}
          onLeft={() => {
            onClose();
            onLeft?.();
          }}
        />
        <div className="dialog-actions">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    </dialog>
  );
}
