import { useId } from 'react';

import { usePreferences } from '../../../lib/preferences';
import { formatReminder } from '../lib/due-format';
import type { DueInput } from '../lib/due-input';
import type { ReminderInput, ReminderKind, ReminderProblem } from '../lib/reminder-input';
import {
  defaultCustomReminder,
  dueInstant,
  presetInstant,
  REMINDER_LABEL,
  REMINDER_PRESETS,
  REMINDER_PROBLEM_TEXT,
} from '../lib/reminder-input';

/**
 * "Remind me": none, at or before the due time (when the todo has a time: the presets are offered
 * but disabled without one), or a date and time on a clock in the user's zone. Native select and
 * inputs, so it is all keyboard. `problem` (from the form) is shown under it and marks it invalid.
 */
export function ReminderPicker({
  value,
  onChange,
  due,
  problem,
}: {
  value: ReminderInput;
  onChange: (next: ReminderInput) => void;
  due: DueInput;
  problem?: ReminderProblem | null;
}) {
  const id = useId();
  const prefs = usePreferences();
  const timed = dueInstant(due, prefs.timeZone) !== null;
  const presetAt = value.kind !== 'none' && value.kind !== 'custom' ? presetInstant(value.kind, due, prefs.timeZone) : null;
  const hint = !timed && value.kind === 'none';
  const describedBy = [problem ? `${id}-problem` : '', hint ? `${id}-hint` : '', presetAt !== null ? `${id}-when` : '']
    .filter(Boolean)
    .join(' ');

  const choose = (kind: ReminderKind) => {
    if (kind === 'custom') {
      // Custom starts where the reminder was (a preset's instant), else at a sensible time.
      const start = value.date && value.time ? { ...value, kind } : defaultCustomReminder(due, prefs.timeZone, Date.now());
      onChange({ ...start, kind });
    } else onChange({ ...value, kind });
  };

  return (
    <div className="reminder-picker" role="group" aria-label="Reminder">
      {/* Not a wrapping label: the options' text ("…due time") would join the select's name. */}
      <div className="inline-field">
        <label htmlFor={`${id}-kind`}>Remind me</label>
        <select
          id={`${id}-kind`}
          className="select"
          value={value.kind}
          aria-invalid={problem ? true : undefined}
          aria-describedby={describedBy || undefined}
          onChange={(e) => choose(e.target.value as ReminderKind)}
        >
          <option value="none">{REMINDER_LABEL.none}</option>
          {REMINDER_PRESETS.map((preset) => (
            // Kept selectable when it is the current value, so the select never shows a value it lacks.
            <option key={preset} value={preset} disabled={!timed && value.kind !== preset}>
              {REMINDER_LABEL[preset]}
            </option>
          ))}
          <option value="custom">{REMINDER_LABEL.custom}</option>
        </select>
      </div>
      {value.kind === 'custom' && (
        <>
          <label className="inline-field">
            Reminder date
            <input
              type="date"
              className="input"
              value={value.date}
              aria-invalid={problem ? true : undefined}
              onChange={(e) => onChange({ ...value, date: e.target.value })}
            />
          </label>
          <div className="inline-field">
            <label htmlFor={`${id}-time`}>Remind at</label>
            <input
              id={`${id}-time`}
              type="time"
              className="input"
              value={value.time}
              aria-invalid={problem ? true : undefined}
              aria-describedby={`${id}-zone`}
              onChange={(e) => onChange({ ...value, time: e.target.value })}
            />
            <span id={`${id}-zone`} className="field-hint">
              {prefs.timeZone.replace(/_/g, ' ')}
            </span>
          </div>
        </>
      )}
      {presetAt !== null && (
        <span id={`${id}-when`} className="field-hint reminder-when">
          {formatReminder(new Date(presetAt).toISOString(), prefs)}
        </span>
      )}
      {hint && (
        <span id={`${id}-hint`} className="field-hint">
          Set a due time to be reminded before it
        </span>
      )}
      {problem && (
        <span id={`${id}-problem`} className="field-error reminder-problem">
          {REMINDER_PROBLEM_TEXT[problem]}
        </span>
      )}
    </div>
  );
}
