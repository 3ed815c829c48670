import { useId } from 'react';

import type { DueInput } from '../lib/due-input';
import { DEFAULT_DUE_TIME } from '../lib/due-input';

/**
 * The due date of a todo: a date, and a time unless "All day" is ticked (the default). The time
 * is a wall-clock time in the user's zone (`timeZone`, named beside it).
 */
export function DueFields({
  value,
  onChange,
  timeZone,
  invalid = false,
}: {
  value: DueInput;
  onChange: (next: DueInput) => void;
  timeZone: string;
  invalid?: boolean;
}) {
  const id = useId();
  return (
    <div className="due-fields" role="group" aria-label="Due">
      <label className="inline-field">
        Due date
        <input
          type="date"
          className="input"
          value={value.date}
          onChange={(e) => onChange({ ...value, date: e.target.value })}
          aria-invalid={invalid || undefined}
        />
      </label>
      <label className="check-field">
        <input
          type="checkbox"
          className="checkbox"
          checked={value.allDay}
          onChange={(e) => onChange({ ...value, allDay: e.target.checked, time: value.time || DEFAULT_DUE_TIME })}
        />
        All day
      </label>
      {!value.allDay && (
        <div className="inline-field">
          <label htmlFor={`${id}-time`}>Time</label>
          <input
            id={`${id}-time`}
            type="time"
            className="input"
            value={value.time}
            onChange={(e) => onChange({ ...value, time: e.target.value })}
            aria-describedby={`${id}-zone`}
            aria-invalid={invalid || undefined}
          />
          <span id={`${id}-zone`} className="field-hint">
            {timeZone.replace(/_/g, ' ')}
          </span>
        </div>
      )}
    </div>
  );
}
