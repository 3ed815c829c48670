import type { Todo, UpdateTodoRequest } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';

import { EditIcon, TrashIcon } from '../../../components/icons';
import { errorMessage } from '../../../lib/api-client';
import { dueDateInputValue, formatDueDate } from '../../../lib/format';
import { toast } from '../../../lib/toast';
import { recreateTodo } from '../api/create-todo';
import { useDeleteTodo } from '../api/delete-todo';
import { isOverdue } from '../api/todo-cache';
import { useUpdateTodo } from '../api/update-todo';
import { PRIORITY_LABEL } from '../lib/priority';
import { PrioritySelect } from './priority-select';

/** `readOnly`: a todo of a list shared with you as viewer (no tick, edit or delete). */
export function TodoItem({ todo, categories, readOnly = false }: { todo: Todo; categories: string[]; readOnly?: boolean }) {
  const textId = useId();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const update = useUpdateTodo();
  const remove = useDeleteTodo({
    onSuccess: (deleted) =>
      toast.success('Todo deleted', {
        label: 'Undo',
        run: () => void recreateTodo(queryClient, deleted).catch((e: unknown) => toast.error(errorMessage(e))),
      }),
  });
  // The box follows the click at once (the cache update lands a tick later); the cache decides after.
  const [checking, setChecking] = useState<boolean | null>(null);
  const checked = checking ?? todo.completed;
  const overdue = isOverdue(todo);

  if (editing) return <TodoEditForm todo={todo} categories={categories} onDone={() => setEditing(false)} />;

  return (
    <li className={`todo-item${checked ? ' is-completed' : ''}${overdue ? ' is-overdue' : ''}`} data-todo-id={todo.id}>
      <input
        type="checkbox"
        className="checkbox"
        checked={checked}
        disabled={readOnly}
        aria-labelledby={textId}
        aria-describedby={`${textId}-meta`}
        onChange={(e) => {
          setChecking(e.target.checked);
          update.mutate({ todo, patch: { completed: e.target.checked } }, { onSettled: () => setChecking(null) });
        }}
      />
      <div className="todo-main">
        {/* Double-click edits, as in most todo apps; the Edit button does the same from the keyboard. */}
        <span id={textId} className="todo-text" onDoubleClick={() => !readOnly && setEditing(true)}>
          {todo.text}
        </span>
        <span id={`${textId}-meta`} className="todo-meta">
          <span className={`prio prio-${todo.priority}`}>{PRIORITY_LABEL[todo.priority]}</span>
          {todo.dueDate && (
            <span className={overdue ? 'due due-overdue' : 'due'}>
              {overdue ? 'Overdue: ' : 'Due '}
              <time dateTime={todo.dueDate}>{formatDueDate(todo.dueDate)}</time>
            </span>
          )}
          {todo.category && <span className="tag">{todo.category}</span>}
          {todo.completed && <span className="visually-hidden">Completed</span>}
        </span>
      </div>
      {!readOnly && (
        <div className="todo-actions">
          <button type="button" className="icon-btn" aria-label={`Edit “${todo.text}”`} title="Edit" onClick={() => setEditing(true)}>
            <EditIcon />
          </button>
          <button
            type="button"
            className="icon-btn icon-btn-danger"
            aria-label={`Delete “${todo.text}”`}
            title="Delete"
            disabled={remove.isPending}
            onClick={() => remove.mutate(todo)}
          >
            <TrashIcon />
          </button>
        </div>
      )}
    </li>
  );
}

/** Inline edit: Enter saves, Escape cancels; only changed fields are sent, with the version. */
function TodoEditForm({ todo, categories, onDone }: { todo: Todo; categories: string[]; onDone: () => void }) {
  const id = useId();
  const [text, setText] = useState(todo.text);
  const [priority, setPriority] = useState(todo.priority);
  const [dueDate, setDueDate] = useState(dueDateInputValue(todo.dueDate));
  const [category, setCategory] = useState(todo.category ?? '');
  const update = useUpdateTodo({ onSuccess: onDone });

  const save = () => {
    const patch: UpdateTodoRequest = {};
    if (text.trim() !== todo.text) patch.text = text.trim();
    if (priority !== todo.priority) patch.priority = priority;
    if (dueDate !== dueDateInputValue(todo.dueDate)) patch.dueDate = dueDate || null;
    if ((category.trim() || null) !== todo.category) patch.category = category.trim() || null;
    if (Object.keys(patch).length === 0) return onDone();
    if (patch.text === '') return;
    update.mutate({ todo, patch: { ...patch, version: todo.version } });
  };

  return (
    <li className="todo-item">
      <form
        className="todo-edit"
        aria-label={`Edit “${todo.text}”`}
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onDone();
        }}
      >
        <label className="inline-field">
          Text
          <input
            className="input"
            value={text}
            maxLength={TODO_LIMITS.text.max}
            required
            // The form opens on a click or a key press that asked for it: focus follows.

            autoFocus
            aria-invalid={text.trim() === '' || undefined}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <div className="todo-edit-row">
          <PrioritySelect value={priority} onChange={setPriority} />
          <label className="inline-field">
            Due date
            <input type="date" className="input" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
          </label>
          <label className="inline-field">
            Category
            <input
              className="input"
              list={`${id}-categories`}
              value={category}
              maxLength={TODO_LIMITS.category.max}
              onChange={(e) => setCategory(e.target.value)}
            />
            <datalist id={`${id}-categories`}>
              {categories.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </label>
        </div>
        <div className="todo-edit-actions">
          <button type="submit" className="btn btn-primary btn-sm" disabled={update.isPending || text.trim() === ''}>
            Save
          </button>
          <button type="button" className="btn btn-secondary btn-sm" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
    </li>
  );
}
