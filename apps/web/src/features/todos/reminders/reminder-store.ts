import type { ChangeEvent, Todo } from '@micronote/contracts';

import { createStore, useStore } from '../../../lib/store';
import { titleCount } from '../../../lib/title-count';

/** A reminder that fired while this tab was open, shown until the user acts on it or it is moot. */
export interface ActiveReminder {
  /** `<todoId>@<remindAt ms>`: one reminder, whichever event (or replay) brought it. */
  key: string;
  todoId: string;
  todo: Todo;
  remindAt: string;
  late: boolean;
  /** Seen on the Todos page (or dismissed): no longer counted in the badge and the title. */
  acknowledged: boolean;
}

const reminders = createStore<ActiveReminder[]>([]);
/** Every reminder key and event id this tab has shown: each reminder once, also across a reconnect's replay. */
const seen = new Set<string>();

reminders.subscribe(() => titleCount.set(unacknowledgedCount(reminders.get())));

export const unacknowledgedCount = (list: readonly ActiveReminder[]): number => list.filter((r) => !r.acknowledged).length;

export const reminderKey = (todoId: string, remindAt: string): string => `${todoId}@${Date.parse(remindAt)}`;

export const useReminders = (): ActiveReminder[] => useStore(reminders);
export const useUnacknowledgedReminders = (): number => unacknowledgedCount(useStore(reminders));

export const activeReminders = (): ActiveReminder[] => reminders.get();

/**
 * A REMINDER event: shown unless this tab showed that reminder already (same event id, or the
 * same todo and time), or the todo is done by now. `todo` is the event's, or the cached one when
 * the event came without it (`truncated`). Answers whether it is new.
 */
export function receiveReminder(event: ChangeEvent, cached?: Todo): boolean {
  const todo = event.todo ?? cached;
  const todoId = event.todoId ?? todo?.id;
  if (!todoId || !todo) return false;
  const remindAt = todo.remindAt ?? event.at;
  const key = reminderKey(todoId, remindAt);
  if (seen.has(event.id) || seen.has(key)) return false;
  seen.add(event.id);
  seen.add(key);
  if (todo.completed) return false;
  reminders.set((list) => [
    ...list.filter((r) => r.todoId !== todoId),
    { key, todoId, todo, remindAt, late: Boolean(event.late), acknowledged: false },
  ]);
  return true;
}

/** The reminder is answered (done, snoozed, dismissed) or moot: gone from the toasts and the count. */
export function resolveReminder(key: string): void {
  reminders.set((list) => (list.some((r) => r.key === key) ? list.filter((r) => r.key !== key) : list));
}

/** The user looked at the Todos page: what fired so far is no longer counted (the toasts stay until answered). */
export function acknowledgeReminders(): void {
  reminders.set((list) =>
    list.some((r) => !r.acknowledged) ? list.map((r) => (r.acknowledged ? r : { ...r, acknowledged: true })) : list,
  );
}

/**
 * A todo event from anywhere (this tab included): a reminder whose todo was deleted, completed or
 * given another reminder time (snoozed or edited in another tab) goes away; otherwise it shows the
 * todo as it is now.
 */
export function followTodoEvent(event: ChangeEvent): void {
  if (!reminders.get().length) return;
  const id = event.todo?.id ?? event.todoId;
  if (!id) return;
  reminders.set((list) => {
    if (!list.some((r) => r.todoId === id)) return list;
    return list.flatMap((r) => {
      if (r.todoId !== id) return [r];
      if (event.type === 'TODO_DELETED') return [];
      const todo = event.todo;
      if (!todo) return [r];
      if (todo.completed || !todo.remindAt || reminderKey(id, todo.remindAt) !== r.key) return [];
      return [{ ...r, todo }];
    });
  });
}

/** Signed out: nothing of the previous user stays. */
export function clearReminders(): void {
  reminders.set([]);
  seen.clear();
}
