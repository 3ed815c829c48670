import type { TodoList } from '@micronote/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useId, useState } from 'react';

import { PlusIcon, UsersIcon } from '../../../components/icons';
import { ErrorState, SkeletonList } from '../../../components/states';
import { errorMessage } from '../../../lib/api-client';
import { useCreateTodoList } from '../api/create-todo-list';

const ROLE_BADGE = { editor: 'Can edit', viewer: 'Can view' } as const;

/** Longest list name the forms allow (the server checks too). */
export const LIST_NAME_MAX = 100;

/**
 * The todo lists beside the todos: "All todos", then each list (yours and the ones shared with
 * you, with the owner's role badge and its open count), and a one-line "New list" form.
 */
export function TodoListPicker({
  lists,
  selectedId,
  onSelect,
}: {
  lists: UseQueryResult<TodoList[]>;
  selectedId: string;
  onSelect: (listId: string) => void;
}) {
  return (
    <nav className="card list-picker" aria-label="Todo lists">
      <ul className="list-picker-items">
        <li>
          <button
            type="button"
            className="list-picker-item"
            aria-current={selectedId === '' ? 'page' : undefined}
            onClick={() => onSelect('')}
          >
            <span className="list-picker-name">All todos</span>
          </button>
        </li>
        {lists.isPending ? (
          <li>
            <SkeletonList rows={2} label="Loading lists" />
          </li>
        ) : lists.isError ? (
          <li>
            <ErrorState title="Lists could not be loaded" error={lists.error} onRetry={() => void lists.refetch()} />
          </li>
        ) : lists.data.length === 0 ? (
          <li className="list-picker-empty">No lists yet. Name one below to group todos and share them.</li>
        ) : (
          lists.data.map((list) => (
            <li key={list.id}>
              <button
                type="button"
                className="list-picker-item"
                aria-current={selectedId === list.id ? 'page' : undefined}
                data-list-id={list.id}
                onClick={() => onSelect(list.id)}
              >
                <span className="list-picker-name">{list.name}</span>
                {list.role !== 'owner' && <span className="badge">{ROLE_BADGE[list.role]}</span>}
                {list.role === 'owner' && list.members > 0 && (
                  <span className="list-picker-shared" title={`Shared with ${list.members}`}>
                    <UsersIcon width={14} height={14} />
                    <span className="visually-hidden">Shared with {list.members}</span>
                  </span>
                )}
                <span className="list-picker-count" aria-label={`${list.open} open`}>
                  {list.open}
                </span>
              </button>
            </li>
          ))
        )}
      </ul>
      <NewListForm onCreated={onSelect} />
    </nav>
  );
}

function NewListForm({ onCreated }: { onCreated: (listId: string) => void }) {
  const id = useId();
  const [name, setName] = useState('');
  const create = useCreateTodoList({
    onSuccess: (list) => {
      setName('');
      onCreated(list.id);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) create.mutate({ name: name.trim() });
  };
  return (
    <form className="list-picker-new" onSubmit={submit} noValidate>
      <label htmlFor={id} className="visually-hidden">
        New list name
      </label>
      <input
        id={id}
        className="input"
        placeholder="New list…"
        value={name}
        maxLength={LIST_NAME_MAX}
        aria-invalid={create.isError || undefined}
        aria-describedby={create.isError ? `${id}-error` : undefined}
        onChange={(event) => {
          setName(event.target.value);
          if (create.isError) create.reset();
        }}
      />
      <button type="submit" className="btn btn-secondary" disabled={create.isPending || !name.trim()}>
        <PlusIcon />
        <span>Create list</span>
      </button>
      {create.isError && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {errorMessage(create.error)}
        </p>
      )}
    </form>
  );
}
