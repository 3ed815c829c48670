import type { Todo } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';
import { useId, useRef, useState } from 'react';

import { LoadMore } from '../../../components/load-more';
import { ErrorState, SkeletonList } from '../../../components/states';
import { errorMessage } from '../../../lib/api-client';
import { useCreateTodo } from '../api/create-todo';
import { useTodos } from '../api/get-todos';
import { subtaskFilters, todoKeys } from '../api/todo-keys';
import { SortableTodos } from './sortable-todos';
import { TodoItem } from './todo-item';

/**
 * A todo's subtasks (`GET /api/todos?parentId=`, in their own order): tick, edit, delete, drag to
 * reorder, and add one inline (`POST` with `parentId`). One level: a subtask has no subtasks.
 */
export function SubtaskPanel({ id, parent, categories, readOnly }: { id: string; parent: Todo; categories: string[]; readOnly: boolean }) {
  const filters = subtaskFilters(parent.id);
  const subtasks = useTodos(filters);
  const items = subtasks.data?.pages.flatMap((page) => page.items) ?? [];
  const label = `Subtasks of “${parent.text}”`;

  return (
    <div id={id} className="subtask-panel" role="region" aria-label={label}>
      {subtasks.isPending ? (
        <SkeletonList rows={2} label="Loading subtasks" />
      ) : subtasks.isError ? (
        <ErrorState title="Subtasks could not be loaded" error={subtasks.error} onRetry={() => void subtasks.refetch()} />
      ) : items.length === 0 ? (
        <p className="subtask-empty">{readOnly ? 'No subtasks.' : 'No subtasks yet.'}</p>
      ) : readOnly ? (
        <ul className="todo-list" aria-label={label}>
          {items.map((todo) => (
            <TodoItem key={todo.id} todo={todo} categories={categories} readOnly />
          ))}
        </ul>
      ) : (
        <SortableTodos
          todos={items}
          queryKey={todoKeys.list(filters)}
          label={label}
          renderItem={(todo, sortable) => <TodoItem todo={todo} categories={categories} sortable={sortable} />}
        />
      )}
      {subtasks.isSuccess && (
        <LoadMore
          hasNextPage={subtasks.hasNextPage}
          isFetchingNextPage={subtasks.isFetchingNextPage}
          fetchNextPage={subtasks.fetchNextPage}
          label="Loading more subtasks"
        />
      )}
      {!readOnly && !parent.completed && <SubtaskAdd parent={parent} full={parent.subtasks.total >= TODO_LIMITS.subtasksPerTodo} />}
    </div>
  );
}

function SubtaskAdd({ parent, full }: { parent: Todo; full: boolean }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const create = useCreateTodo({
    onSuccess: () => {
      setText('');
      input.current?.focus();
    },
  });
  const error = create.error ? errorMessage(create.error) : null;

  return (
    <form
      className="subtask-add"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) create.mutate({ text: text.trim(), parentId: parent.id });
      }}
    >
      <label htmlFor={`${id}-text`} className="visually-hidden">
        New subtask of “{parent.text}”
      </label>
      <input
        id={`${id}-text`}
        ref={input}
        className="input"
        placeholder={full ? `At most ${TODO_LIMITS.subtasksPerTodo} subtasks` : 'Add a subtask…'}
        disabled={full}
        value={text}
        maxLength={TODO_LIMITS.text.max}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="btn btn-secondary btn-sm" disabled={full || create.isPending || text.trim() === ''}>
        Add subtask
      </button>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
