import type { TodoList } from '@micronote/contracts';
import type { FormEvent } from 'react';
import { useEffect, useId, useRef, useState } from 'react';

import { ConfirmDialog } from '../../../components/confirm-dialog';
import { EditIcon, ShareIcon, TrashIcon } from '../../../components/icons';
import { PeopleDialog } from '../../../components/people/people-dialog';
import { personName } from '../../../components/people/people-section';
import { errorMessage } from '../../../lib/api-client';
import { toast } from '../../../lib/toast';
import { useDeleteTodoList } from '../api/delete-todo-list';
import { useUpdateTodoList } from '../api/update-todo-list';
import { LIST_NAME_MAX } from './todo-list-picker';

/**
 * The open list: its name (the owner renames it in place: Enter saves, Escape cancels), who
 * owns it, People (share / who is in it, Leave) and, for the owner, Delete.
 */
export function TodoListHeader({ list, onGone }: { list: TodoList; onGone: () => void }) {
  const [renaming, setRenaming] = useState(false);
  const [people, setPeople] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = useDeleteTodoList({
    onSuccess: () => {
      setConfirmDelete(false);
      onGone();
      toast.success(`List “${list.name}” deleted`);
    },
  });
  const isOwner = list.role === 'owner';
  // Back from renaming (saved or cancelled), the keyboard carries on from the Rename button.
  const renameButton = useRef<HTMLButtonElement>(null);
  const wasRenaming = useRef(false);
  useEffect(() => {
    if (wasRenaming.current && !renaming) renameButton.current?.focus();
    wasRenaming.current = renaming;
  }, [renaming]);

  return (
    <section className="card list-header" aria-label={`List “${list.name}”`}>
      {renaming ? (
        <RenameForm list={list} onDone={() => setRenaming(false)} />
      ) : (
        <div className="list-header-main">
          <h2 className="list-header-name">{list.name}</h2>
          <span className="list-header-meta">
            {isOwner
              ? list.members > 0
                ? `Shared with ${list.members} ${list.members === 1 ? 'person' : 'people'}`
                : 'Only you'
              : `${personName(list.owner)}’s list · you can ${list.role === 'viewer' ? 'view' : 'edit'}`}
          </span>
        </div>
      )}
      <div className="list-header-actions">
        <button type="button" className="btn btn-secondary btn-sm" aria-haspopup="dialog" onClick={() => setPeople(true)}>
          <ShareIcon />
          {isOwner ? 'Share' : 'People'}
        </button>
        {isOwner && !renaming && (
          <>
            <button
              ref={renameButton}
              type="button"
              className="icon-btn"
              aria-label="Rename list"
              title="Rename"
              onClick={() => setRenaming(true)}
            >
              <EditIcon />
            </button>
            <button
              type="button"
              className="icon-btn icon-btn-danger"
              aria-label="Delete list"
              title="Delete the list and its todos"
              onClick={() => setConfirmDelete(true)}
            >
              <TrashIcon />
            </button>
          </>
        )}
      </div>
      {people && (
        <PeopleDialog
          item={{ kind: 'list', id: list.id }}
          title={list.name}
          role={list.role}
          onClose={() => setPeople(false)}
          onLeft={() => {
            onGone();
            toast(`You left “${list.name}”`);
          }}
        />
      )}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete “${list.name}”?`}
        confirmLabel="Delete list"
        danger
        busy={remove.isPending}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => remove.mutate(list.id)}
      >
        <p>The list and every todo in it are deleted for everyone it is shared with. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}

function RenameForm({ list, onDone }: { list: TodoList; onDone: () => void }) {
  const id = useId();
  const [name, setName] = useState(list.name);
  const update = useUpdateTodoList({ onSuccess: onDone });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = name.trim();
    if (!next) return;
    if (next === list.name) return onDone();
    update.mutate({ id: list.id, name: next });
  };
  return (
    <form
      className="list-rename"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onDone();
        }
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        List name
      </label>
      <input
        id={id}
        className="input"
        value={name}
        maxLength={LIST_NAME_MAX}
        // Opened by the Rename button: focus follows.
        autoFocus
        aria-invalid={update.isError || name.trim() === '' || undefined}
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" className="btn btn-primary btn-sm" disabled={update.isPending || !name.trim()}>
        Save
      </button>
      <button type="button" className="btn btn-secondary btn-sm" onClick={onDone}>
        Cancel
      </button>
      {update.isError && (
        <p className="field-error" role="alert">
          Not renamed: {errorMessage(update.error)}
        </p>
      )}
    </form>
  );
}
