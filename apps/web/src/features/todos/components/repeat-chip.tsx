import type { Todo } from '@micronote/contracts';
import type { QueryClient } from '@tanstack/react-query';

import { RepeatIcon } from '../../../components/icons';
import type { TimePreferences } from '../../../lib/preferences';
import { toast } from '../../../lib/toast';
import { todoCompletionsKey } from '../api/get-todo-completions';
import { formatDue } from '../lib/due-format';
import { describeRrule } from '../lib/recurrence';

/** The "repeats" chip of a todo row, with the rule for people ("Every week on Monday"). */
export function RepeatChip({ rule }: { rule: string }) {
  const text = describeRrule(rule);
  return (
    <span className="tag repeat-chip" title={text}>
      <RepeatIcon />
      <span className="visually-hidden">Repeats: </span>
      {text}
    </span>
  );
}

/**
 * After a tick: a recurring todo the server answers open again has moved to its next occurrence
 * ("Next: Fri, Dec 11, 09:00", in the user's zone); its history has one more entry.
 */
export function announceNextOccurrence(queryClient: QueryClient, before: Todo, answer: Todo, prefs: TimePreferences): void {
  // A tick that completed an open recurring todo (not a reopen).
  if (!before.recurrence || before.completed) return;
  void queryClient.invalidateQueries({ queryKey: todoCompletionsKey(answer.id) });
  if (!answer.completed && answer.dueDate) toast.success(`Next: ${formatDue(answer, prefs)}`);
}
