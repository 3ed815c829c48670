import type { TodoPriority } from '@micronote/contracts';
import { TODO_LIMITS } from '@micronote/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useRef, useState } from 'react';

import { PlusIcon } from '../../../components/icons';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { usePreferences } from '../../../lib/preferences';
import { useNow } from '../../../lib/use-now';
import { useCreateTodo } from '../api/create-todo';
import type { DueInput } from '../lib/due-input';
import { dueRequest, NO_DUE } from '../lib/due-input';
import type { QuickAddPartKind } from '../lib/quick-add-parser';
import type { RepeatState } from '../lib/recurrence';
import { NO_REPEAT, toRrule } from '../lib/recurrence';
import { keepWithoutDueTime, NO_REMINDER, reminderProblem, reminderRequest } from '../lib/reminder-input';
import { useQuickAddParser } from '../lib/use-quick-add-parser';
import { offerPushAfterReminder } from '../reminders/push-hint';
import { DueFields } from './due-fields';
import { PrioritySelect } from './priority-select';
import { QuickAddChips } from './quick-add-chips';
import { ReminderPicker } from './reminder-picker';
import { RepeatPicker } from './repeat-picker';

const FIELDS = ['text', 'priority', 'dueDate', 'allDay', 'category', 'recurrence', 'remindAt'] as const;

/** A picker's value, and whether the user set it for this todo (`picked`). */
interface Picked<T> {
  value: T;
  picked: boolean;
}
const unpicked = <T,>(value: T): Picked<T> => ({ value, picked: false });
const NO_LITERAL: ReadonlySet<string> = new Set();

/**
 * One line to add a todo (into `listId` when a list is open); priority, due date (all day, or at a
 * time in the user's zone), repeat and category are optional, from the pickers or from the text
 * itself ("Pay rent every month on the 1st at 9am !high #home", lib/quick-add-parser.ts).
 *
 * Text and pickers, predictably: what the text says is shown as chips and in the pickers; a
 * picker the user sets for this todo wins over the text (its chip says so, and its words still
 * leave the title); removing a chip keeps its words as plain text. After adding, the text, due
 * date and repeat start again; priority and category keep the pickers' values as the defaults of
 * the next todo, which its text may change again.
 *
 * The parser (chrono-node) is a chunk of its own, loaded when the line is first focused; until it
 * is there the line is plain text, and adding works as ever.
 */
export function TodoQuickAdd({ categories, listId, listName }: { categories: string[]; listId?: string; listName?: string }) {
  const id = useId();
  const textRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [priority, setPriority] = useState<Picked<TodoPriority>>(unpicked(TODO_LIMITS.defaultPriority));
  const [due, setDue] = useState<Picked<DueInput>>(unpicked(NO_DUE));
  const { timeZone } = usePreferences();
  const [category, setCategory] = useState<Picked<string>>(unpicked(''));
  const [repeat, setRepeat] = useState<Picked<RepeatState>>(unpicked(NO_REPEAT));
  const [reminder, setReminder] = useState(NO_REMINDER);
  // A reminder's problems show once adding was tried (a time typed minute by minute is not "past" yet).
  const [reminderChecked, setReminderChecked] = useState(false);
  const queryClient = useQueryClient();
  // Parts whose chip was removed: their words stay text (until the line is emptied).
  const [literal, setLiteral] = useState<ReadonlySet<string>>(NO_LITERAL);
  const [wanted, setWanted] = useState(false);
  const [emptyText, setEmptyText] = useState(false);
  const parser = useQuickAddParser(wanted || text !== '');
  // "tomorrow" from the minute the line is read in (a line left open over midnight reads again).
  const now = useNow();
  const parsed = useMemo(
    () => (parser && text.trim() ? parser.parseQuickAdd(text, { now, timeZone, literal, categories }) : null),
    [parser, text, now, timeZone, literal, categories],
  );

  // What will be sent: a picker set for this todo, else what the text says, else the picker's default.
  const effective = {
    priority: priority.picked ? priority.value : (parsed?.priority ?? priority.value),
    due: due.picked ? due.value : (parsed?.due ?? due.value),
    repeat: repeat.picked ? repeat.value : (parsed?.repeat ?? repeat.value),
    category: category.picked ? category.value : (parsed?.category ?? category.value),
  };
  const overridden: Record<QuickAddPartKind, boolean> = {
    priority: priority.picked,
    due: due.picked,
    // A rule needs a date: with the due date cleared in its picker, the text's repeat is not sent either.
    repeat: repeat.picked || !effective.due.date,
    category: category.picked,
  };

  const reminderIssue = reminderChecked ? reminderProblem(reminder, effective.due, timeZone, now) : null;

  const create = useCreateTodo({
    onSuccess: (todo) => {
      if (todo.remindAt) void offerPushAfterReminder(queryClient);
      setReminder(NO_REMINDER);
      setReminderChecked(false);
      // Ready for the next one; priority and category stay for a run of similar todos.
      setText('');
      setLiteral(NO_LITERAL);
      setDue((d) => unpicked({ ...NO_DUE, allDay: d.value.allDay, time: d.value.time }));
      setRepeat(unpicked(NO_REPEAT));
      setPriority((p) => unpicked(p.value));
      setCategory((c) => unpicked(c.value));
      textRef.current?.focus();
    },
  });

  const errors = create.error instanceof ApiError && create.error.status === 400 ? create.error.fieldErrors(FIELDS) : null;
  const formError = create.error && !errors ? errorMessage(create.error) : errors?.other.join(' ');
  const textError = emptyText ? 'Add a few words besides the date, repeat, priority and category.' : errors?.fields.text;

  return (
    <form
      className="quick-add"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const title = parsed ? parsed.text : text.trim();
        if (!title && text.trim()) {
          setEmptyText(true);
          return;
        }
        setReminderChecked(true);
        if (reminderProblem(reminder, effective.due, timeZone, Date.now())) return;
        const dueFields = dueRequest(effective.due, timeZone);
        const recurrence = toRrule(effective.repeat, effective.due);
        const remindAt = reminderRequest(reminder, effective.due, timeZone);
        create.mutate({
          text: title,
          priority: effective.priority,
          ...(dueFields.dueDate === null ? {} : dueFields),
          category: effective.category.trim() || undefined,
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
          placeholder={listName ? `Add a todo to “${listName}”…` : 'Add a todo… (try “tomorrow 5pm !high #home”)'}
          value={text}
          maxLength={TODO_LIMITS.text.max}
          aria-invalid={textError ? true : undefined}
          aria-describedby={
            [textError && `${id}-text-error`, parsed?.parts.length && `${id}-chips-summary`].filter(Boolean).join(' ') || undefined
          }
          onFocus={() => setWanted(true)}
          onChange={(e) => {
            setText(e.target.value);
            setEmptyText(false);
            if (!e.target.value.trim()) setLiteral(NO_LITERAL);
          }}
        />
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          <PlusIcon />
          Add
        </button>
      </div>
      {textError && (
        <p id={`${id}-text-error`} className="field-error quick-add-main">
          {textError}
        </p>
      )}
      {parsed && parsed.parts.length > 0 && (
        <QuickAddChips
          summaryId={`${id}-chips-summary`}
          parsed={parsed}
          overridden={overridden}
          onRemove={(key) => setLiteral((keys) => new Set([...keys, key]))}
          onEmpty={() => textRef.current?.focus()}
        />
      )}
      <div className="quick-add-options">
        <PrioritySelect value={effective.priority} onChange={(value) => setPriority({ value, picked: true })} />
        <DueFields
          value={effective.due}
          onChange={(value) => {
            setReminder((r) => keepWithoutDueTime(r, effective.due, value, timeZone));
            setDue({ value, picked: true });
          }}
          timeZone={timeZone}
          invalid={Boolean(errors?.fields.dueDate || errors?.fields.allDay)}
        />
        <RepeatPicker value={effective.repeat} onChange={(value) => setRepeat({ value, picked: true })} due={effective.due} />
        <ReminderPicker value={reminder} onChange={setReminder} due={effective.due} problem={reminderIssue} />
        <label className="inline-field">
          Category
          <input
            className="input"
            list={`${id}-categories`}
            placeholder="None"
            value={effective.category}
            maxLength={TODO_LIMITS.category.max}
            onChange={(e) => setCategory({ value: e.target.value, picked: true })}
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
