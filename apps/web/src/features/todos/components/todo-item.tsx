import type { Todo, UpdateTodoRequest } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';
import { useQueryClient } from '@tanstack/react-query';
import type { CSSProperties, ReactNode, Ref } from 'react';
import { useId, useState } from 'react';

import { EditIcon, SubtasksIcon, TrashIcon } from '../../../components/icons';
import { errorMessage } from '../../../lib/api-client';
import { usePreferences } from '../../../lib/preferences';
import { toast } from '../../../lib/toast';
import { useNow } from '../../../lib/use-now';
import { recreateTodo } from '../api/create-todo';
import { useDeleteTodo } from '../api/delete-todo';
import { useUpdateTodo } from '../api/update-todo';
import { formatDue, formatDueFull } from '../lib/due-format';
import { isOverdue } from '../lib/due-groups';
import type { DueInput } from '../lib/due-input';
import { dueInputOf, duePatch } from '../lib/due-input';
import { PRIORITY_LABEL } from '../lib/priority';
import { fromRrule, toRrule } from '../lib/recurrence';
import type { ReminderInput } from '../lib/reminder-input';
import { keepWithoutDueTime, reminderInputOf, reminderPatch, reminderProblem } from '../lib/reminder-input';
import { offerPushAfterReminder } from '../reminders/push-hint';
import { CompletionsList } from './completions-list';
import { DueFields } from './due-fields';
import { PrioritySelect } from './priority-select';
import { ReminderChip } from './reminder-chip';
import { ReminderPicker } from './reminder-picker';
import { announceNextOccurrence, RepeatChip } from './repeat-chip';
import { RepeatPicker } from './repeat-picker';
import { SubtaskPanel } from './subtask-panel';

/** What a sortable list gives its rows ("My order"): the row's ref and transform, and the drag handle. */
export interface SortableRowProps {
  ref: Ref<HTMLLIElement>;
  style: CSSProperties;
  dragging: boolean;
  handle: ReactNode;
}

/**
 * One todo. `readOnly`: a todo of a list shared with you as viewer (no tick, edit or delete). A
 * top-level todo shows its subtasks' progress ("2/5") and opens them below itself; a subtask
 * (`todo.parentId`) has no subtasks of its own.
 */
export function TodoItem({
  todo,
  categories,
  readOnly = false,
  sortable,
}: {
  todo: Todo;
  categories: string[];
  readOnly?: boolean;
  sortable?: SortableRowProps;
}) {
  const textId = useId();
  const queryClient = useQueryClient();
  const prefs = usePreferences();
  const now = useNow();
  const [editing, setEditing] = useState(false);
  const [subtasksOpen, setSubtasksOpen] = useState(false);
  // On the hook, not on mutate(): the row may remount in another section before the answer comes.
  const update = useUpdateTodo({ onSuccess: (answer) => announceNextOccurrence(queryClient, todo, answer, prefs) });
  const remove = useDeleteTodo({
    onSuccess: (deleted) =>
      toast.success(deleted.parentId ? 'Subtask deleted' : 'Todo deleted', {
        label: 'Undo',
        run: () => void recreateTodo(queryClient, deleted).catch((e: unknown) => toast.error(errorMessage(e))),
      }),
  });
  // The box follows the click at once (the cache update lands a tick later); the cache decides after.
  const [checking, setChecking] = useState<boolean | null>(null);
  const checked = checking ?? todo.completed;
  const overdue = isOverdue(todo, { now, timeZone: prefs.timeZone });
  const isSubtask = todo.parentId !== null;
  const { total, completed } = todo.subtasks;

  const rowClass = `todo-item${checked ? ' is-completed' : ''}${overdue ? ' is-overdue' : ''}${isSubtask ? ' is-subtask' : ''}${
    sortable?.dragging ? ' is-dragging' : ''
  }`;

  if (editing)
    return (
      <li className={`todo-item${isSubtask ? ' is-subtask' : ''}`} ref={sortable?.ref} style={sortable?.style}>
        <TodoEditForm todo={todo} categories={categories} onDone={() => setEditing(false)} />
      </li>
    );

  return (
    <li className={rowClass} data-todo-id={todo.id} ref={sortable?.ref} style={sortable?.style}>
      {sortable?.handle}
      <input
        type="checkbox"
        className="checkbox"
        checked={checked}
        disabled={readOnly}
        aria-labelledby={textId}
        aria-describedby={`${textId}-meta`}
        onChange={(e) => {
          const completing = e.target.checked;
          setChecking(completing);
          update.mutate({ todo, patch: { completed: completing } }, { onSettled: () => setChecking(null) });
        }}
      />
      <div className="todo-main">
        {/* Double-click edits, as in most todo apps; the Edit button does the same from the keyboard. */}
        <span id={textId} className="todo-text" onDoubleClick={() => !readOnly && setEditing(true)}>
          {todo.text}
        </span>
        <span id={`${textId}-meta`} className="todo-meta">
          {!isSubtask && <span className={`prio prio-${todo.priority}`}>{PRIORITY_LABEL[todo.priority]}</span>}
          {todo.dueDate && (
            <span className={overdue ? 'due due-overdue' : 'due'} title={formatDueFull(todo, prefs)}>
              {overdue ? 'Overdue: ' : 'Due '}
              <time dateTime={todo.allDay ? todo.dueDate.slice(0, 10) : todo.dueDate}>{formatDue(todo, prefs, now)}</time>
            </span>
          )}
          {todo.remindAt && !todo.completed && <ReminderChip remindAt={todo.remindAt} prefs={prefs} now={now} />}
          {todo.recurrence && <RepeatChip rule={todo.recurrence} />}
          {todo.category && <span className="tag">{todo.category}</span>}
          {todo.completed && <span className="visually-hidden">Completed</span>}
        </span>
      </div>
      {!isSubtask && (
        <button
          type="button"
          className={`subtask-toggle${total > 0 && completed === total ? ' is-done' : ''}`}
          aria-expanded={subtasksOpen}
          aria-controls={`${textId}-subtasks`}
          aria-label={total > 0 ? `Subtasks of “${todo.text}”: ${completed} of ${total} done` : `Subtasks of “${todo.text}”`}
          title={total > 0 ? `${completed} of ${total} subtasks done` : readOnly ? 'Subtasks' : 'Add subtasks'}
          onClick={() => setSubtasksOpen((open) => !open)}
        >
          <SubtasksIcon />
          {total > 0 && (
            <span className="subtask-chip" aria-hidden="true">
              {completed}/{total}
            </span>
          )}
        </button>
      )}
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
      {!isSubtask && subtasksOpen && <SubtaskPanel id={`${textId}-subtasks`} parent={todo} categories={categories} readOnly={readOnly} />}
    </li>
  );
}

/** Inline edit: Enter saves, Escape cancels; only changed fields are sent, with the version. */
export function TodoEditForm({ todo, categories, onDone }: { todo: Todo; categories: string[]; onDone: () => void }) {
  const id = useId();
  const { timeZone } = usePreferences();
  const [text, setText] = useState(todo.text);
  const [priority, setPriority] = useState(todo.priority);
  const [due, setDue] = useState<DueInput>(() => dueInputOf(todo, timeZone));
  const [category, setCategory] = useState(todo.category ?? '');
  const [repeat, setRepeat] = useState(() => fromRrule(todo.recurrence, due));
  const [reminder, setReminder] = useState<ReminderInput>(() => reminderInputOf(todo, timeZone));
  // What "has passed" is measured against while the form is open.
  const now = useNow(15_000);
  const queryClient = useQueryClient();
  const update = useUpdateTodo({
    onSuccess: (answer) => {
      if (answer.remindAt && answer.remindAt !== todo.remindAt) void offerPushAfterReminder(queryClient);
      onDone();
    },
  });
  const remindPatch = reminderPatch(todo, reminder, due, timeZone);
  // Only a reminder being set is checked: an unchanged one that has fired does not stop other edits.
  const reminderIssue = remindPatch.remindAt === undefined ? null : reminderProblem(reminder, due, timeZone, now);
  // A subtask cannot repeat (API-v2 "Recurrence").
  const canRepeat = todo.parentId === null;

  const save = () => {
    const patch: UpdateTodoRequest = {};
    if (text.trim() !== todo.text) patch.text = text.trim();
    if (priority !== todo.priority) patch.priority = priority;
    Object.assign(patch, duePatch(todo, due, timeZone));
    if ((category.trim() || null) !== todo.category) patch.category = category.trim() || null;
    // `?? null`: a todo cached before the field existed has none.
    const recurrence = canRepeat ? toRrule(repeat, due) : (todo.recurrence ?? null);
    if (recurrence !== (todo.recurrence ?? null)) patch.recurrence = recurrence;
    Object.assign(patch, remindPatch);
    if (Object.keys(patch).length === 0) return onDone();
    if (patch.text === '' || reminderIssue) return;
    update.mutate({ todo, patch: { ...patch, version: todo.version } });
  };

  return (
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
        <DueFields
          value={due}
          onChange={(next) => {
            setReminder((r) => keepWithoutDueTime(r, due, next, timeZone));
            setDue(next);
          }}
          timeZone={timeZone}
        />
        {canRepeat && <RepeatPicker value={repeat} onChange={setRepeat} due={due} />}
        {!todo.completed && <ReminderPicker value={reminder} onChange={setReminder} due={due} problem={reminderIssue} />}
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
        <button
          type="submit"
          className="btn btn-primary btn-sm"
          disabled={update.isPending || text.trim() === '' || Boolean(reminderIssue)}
        >
          Save
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={onDone}>
          Cancel
        </button>
      </div>
      {todo.recurrence && <CompletionsList todo={todo} />}
    </form>
  );
}
