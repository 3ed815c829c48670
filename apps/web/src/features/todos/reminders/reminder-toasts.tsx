import { useLayoutEffect, useRef } from 'react';
import { Link } from 'react-router-dom';

import { BellIcon, CloseIcon } from '../../../components/icons';
import { ApiError, errorMessage } from '../../../lib/api-client';
import type { TimePreferences } from '../../../lib/preferences';
import { usePreferences } from '../../../lib/preferences';
import { toast } from '../../../lib/toast';
import { useNow } from '../../../lib/use-now';
import { useSnoozeTodo } from '../api/snooze-todo';
import { useUpdateTodo } from '../api/update-todo';
import { formatDue, formatReminder } from '../lib/due-format';
import { isOverdue } from '../lib/due-groups';
import type { ActiveReminder } from './reminder-store';
import { resolveReminder, useReminders } from './reminder-store';

/** The snooze of the toast's button. */
export const SNOOZE_MINUTES = 10;
/** Shown at once; more wait behind "N more". */
const MAX_SHOWN = 3;

/** "Due today 2:30 PM" / "Overdue: Fri, Dec 4" / '' and "Late: it was set for 2:30 PM". */
export function reminderDetails(reminder: ActiveReminder, prefs: TimePreferences, now: number): string[] {
  const { todo } = reminder;
  const details: string[] = [];
  if (todo.dueDate)
    details.push(`${isOverdue(todo, { now, timeZone: prefs.timeZone }) ? 'Overdue:' : 'Due'} ${formatDue(todo, prefs, now)}`);
  if (reminder.late) details.push(`Late: it was set for ${formatReminder(reminder.remindAt, prefs, now)}`);
  return details;
}

/**
 * The reminders that fired while this tab was open, as toasts that stay until answered: Done
 * (completes the todo), Snooze 10 min, or dismiss (✕ or Escape). No sound, and focus is never
 * taken: the stack is a polite live region right after the header, so Tab reaches its buttons
 * next; when a toast that had focus goes, focus moves to the next one (else to the page).
 */
export function ReminderToasts() {
  const reminders = useReminders();
  const prefs = usePreferences();
  const now = useNow();
  const stack = useRef<HTMLDivElement>(null);
  // Focus was last in the stack (not moved elsewhere by the user): when its toast goes (answered
  // here, or ended by another tab), focus moves on instead of falling back to the page's start.
  const focusInside = useRef(false);
  const shown = reminders.slice(-MAX_SHOWN).reverse();
  const more = reminders.length - shown.length;

  useLayoutEffect(() => {
    const active = document.activeElement;
    if (!focusInside.current || (active && active !== document.body)) return;
    focusInside.current = false;
    const next = stack.current?.querySelector<HTMLElement>('.reminder-toast button');
    if (next) next.focus();
    else {
      const main = document.getElementById('main');
      if (main) {
        main.tabIndex = -1;
        main.focus();
      }
    }
  });

  return (
    // The live region is always there (one added to the page with its content is often not
    // announced); the landmark only while it holds something.
    <div
      ref={stack}
      className="reminder-stack"
      {...(reminders.length > 0 ? { role: 'region', 'aria-label': 'Reminders' } : {})}
      onFocus={() => (focusInside.current = true)}
      onBlur={(e) => {
        // Moved elsewhere on purpose; a removed button's blur has no relatedTarget.
        if (e.relatedTarget && !stack.current?.contains(e.relatedTarget)) focusInside.current = false;
      }}
    >
      <div aria-live="polite" aria-relevant="additions">
        {shown.map((reminder) => (
          <ReminderToast
            key={reminder.key}
            reminder={reminder}
            details={reminderDetails(reminder, prefs, now)}
            onResolved={resolveReminder}
          />
        ))}
      </div>
      {more > 0 && (
        <p className="reminder-more">
          <Link to="/todos">
            {more} more {more === 1 ? 'reminder' : 'reminders'}: open Todos
          </Link>
        </p>
      )}
    </div>
  );
}

function ReminderToast({
  reminder,
  details,
  onResolved,
}: {
  reminder: ActiveReminder;
  details: string[];
  onResolved: (key: string) => void;
}) {
  const { todo, key } = reminder;
  const prefs = usePreferences();
  const gone = (error: unknown) => error instanceof ApiError && error.status === 404;
  const complete = useUpdateTodo({ onSuccess: () => onResolved(key) });
  const snooze = useSnoozeTodo({
    onSuccess: (answer) => {
      onResolved(key);
      if (answer.remindAt) toast.success(`Snoozed: reminding you again at ${formatReminder(answer.remindAt, prefs)}`);
    },
  });
  const pending = complete.isPending || snooze.isPending;

  return (
    <div
      className={`toast reminder-toast${reminder.late ? ' is-late' : ''}`}
      role="status"
      data-reminder-key={key}
      data-todo-id={todo.id}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onResolved(key);
        }
      }}
    >
      <BellIcon className="reminder-toast-icon" />
      <div className="toast-message">
        <p className="reminder-toast-title">
          Reminder: <strong>{todo.text}</strong>
        </p>
        {details.length > 0 && <p className="reminder-toast-details">{details.join(' · ')}</p>}
        <div className="reminder-toast-actions">
          <button
            type="button"
            className="btn btn-sm reminder-done"
            disabled={pending}
            onClick={() =>
              complete.mutate(
                { todo, patch: { completed: true } },
                // A todo deleted meanwhile: nothing left to remind of (useUpdateTodo told the error).
                { onError: (error) => gone(error) && onResolved(key) },
              )
            }
          >
            Done
          </button>
          <button
            type="button"
            className="btn btn-sm btn-ghost"
            disabled={pending}
            onClick={() =>
              snooze.mutate(
                { id: todo.id, minutes: SNOOZE_MINUTES },
                {
                  onError: (error) => {
                    if (gone(error)) onResolved(key);
                    toast.error(`Not snoozed: ${errorMessage(error)}`);
                  },
                },
              )
            }
          >
            Snooze {SNOOZE_MINUTES} min
          </button>
        </div>
      </div>
      <button type="button" className="icon-btn toast-close" aria-label={`Dismiss reminder: ${todo.text}`} onClick={() => onResolved(key)}>
        <CloseIcon width={16} height={16} />
      </button>
    </div>
  );
}
