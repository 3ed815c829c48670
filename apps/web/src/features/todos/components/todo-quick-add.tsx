import type { TodoPriority } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';

import { PlusIcon } from '../../../components/icons';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { usePreferences } from '../../../lib/preferences';
import { useNow } from '../../../lib/use-now';
import { useCreateTodo } from '../api/create-todo';
import type { DueInput } from '../lib/due-input';
import { dueRequest, NO_DUE } from '../lib/due-input';
import { NO_REPEAT, toRrule } from '../lib/recurrence';
import { keepWithoutDueTime, NO_REMINDER, reminderProblem, reminderRequest } from '../lib/reminder-input';
import { offerPushAfterReminder } from '../reminders/push-hint';
import { DueFields } from './due-fields';
import { PrioritySelect } from './priority-select';
import { ReminderPicker } from './reminder-picker';
import { RepeatPicker } from './repeat-picker';

const FIELDS = ['text', 'priority', 'dueDate', 'allDay', 'category', 'recurrence', 'remindAt'] as const;

/**
 * One line to add a todo (into `listId` when a list is open); priority, due date (all day, or at a
 * time in the user's zone) and category are optional.
 */
export function TodoQuickAdd({ categories, listId, listName }: { categories: string[]; listId?: string; listName?: string }) {
  const id = useId();
  const textRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [priority, setPriority] = useState<TodoPriority>(TODO_LIMITS.defaultPriority);
  const [due, setDue] = useState<DueInput>(NO_DUE);
  const { timeZone } = usePreferences();
  const [category, setCategory] = useState('');
  const [repeat, setRepeat] = useState(NO_REPEAT);
  const [reminder, setReminder] = useState(NO_REMINDER);
  const [reminderChecked, setReminderChecked] = useState(false);
  const queryClient = useQueryClient();
  const now = useNow(15_000);
  const reminderIssue = reminderChecked ? reminderProblem(reminder, due, timeZone, now) : null;
  const create = useCreateTodo({
    onSuccess: (todo) => {
      if (todo.remindAt) void offerPushAfterReminder(queryClient);
      setReminder(NO_REMINDER);
      setReminderChecked(false);
      // Ready for the next one; priority and category stay for a run of similar todos.
      setText('');
      setDue((d) => ({ ...NO_DUE, allDay: d.allDay, time: d.time }));
      setRepeat(NO_REPEAT);
      textRef.current?.focus();
    },
  });

  const errors = create.error instanceof ApiError && create.error.status === 400 ? create.error.fieldErrors(FIELDS) : null;
  const formError = create.error && !errors ? errorMessage(create.error) : errors?.other.join(' ');

  return (
    <form
      className="quick-add"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setReminderChecked(true);
        if (reminderProblem(reminder, due, timeZone, Date.now())) return;
        const dueFields = dueRequest(due, timeZone);
        const remindAt = reminderRequest(reminder, due, timeZone);
        const recurrence = toRrule(repeat, due);
        create.mutate({
          text: text.trim(),
          priority,
          ...(dueFields.dueDate === null ? {} : dueFields),
          category: category.trim() || undefined,
          listId: listId || undefined,
          ...(recurrence ? { recurrence } : {}),
          ...(remindAt ? { remindAt } : {}),
        });
      }}
    >
      <div className="quick-add-main">
        <label htmlFor={`${id}-text`} className="visually-hidden">
          New todo
        </label>
        <input
          id={`${id}-text`}
          ref={textRef}
          className="input"
          placeholder={listName ? `Add a todo to “${listName}”…` : 'Add a todo…'}
          value={text}
          maxLength={TODO_LIMITS.text.max}
          aria-invalid={errors?.fields.text ? true : undefined}
          aria-describedby={errors?.fields.text ? `${id}-text-error` : undefined}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          <PlusIcon />
          Add
        </button>
      </div>
      {errors?.fields.text && (
        <p id={`${id}-text-error`} className="field-error quick-add-main">
          {errors.fields.text}
        </p>
      )}
      <div className="quick-add-options">
        <PrioritySelect value={priority} onChange={setPriority} />
        <DueFields
          value={due}
          onChange={(next) => {
            setReminder((r) => keepWithoutDueTime(r, due, next, timeZone));
            setDue(next);
          }}
          timeZone={timeZone}
          invalid={Boolean(errors?.fields.dueDate || errors?.fields.allDay)}
        />
        <RepeatPicker value={repeat} onChange={setRepeat} due={due} />
        <ReminderPicker value={reminder} onChange={setReminder} due={due} problem={reminderIssue} />
        <label className="inline-field">
          Category
          <input
            className="input"
            list={`${id}-categories`}
            placeholder="None"
            value={category}
            maxLength={TODO_LIMITS.category.max}
            onChange={(e) => setCategory(e.target.value)}
            aria-invalid={errors?.fields.category ? true : undefined}
          />
          <datalist id={`${id}-categories`}>
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </label>
      </div>
      {(formError ||
        errors?.fields.dueDate ||
        errors?.fields.allDay ||
        errors?.fields.category ||
        errors?.fields.priority ||
        errors?.fields.recurrence ||
        errors?.fields.remindAt) && (
        <p className="field-error quick-add-main" role="alert">
          {[
            formError,
            errors?.fields.dueDate && `Due date: ${errors.fields.dueDate}`,
            errors?.fields.allDay && `All day: ${errors.fields.allDay}`,
            errors?.fields.category && `Category: ${errors.fields.category}`,
            errors?.fields.recurrence && `Repeat: ${errors.fields.recurrence}`,
            errors?.fields.remindAt && `Reminder: ${errors.fields.remindAt}`,
          ]
            .filter(Boolean)
            .join(' ')}
        </p>
      )}
    </form>
  );
}
