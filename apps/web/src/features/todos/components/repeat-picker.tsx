import { TODO_LIMITS } from '@micronote/contracts';
import { useId, useState } from 'react';

import type { RepeatDue, RepeatEndKind, RepeatKind, RepeatState, RepeatUnit, Weekday } from '../lib/recurrence';
import { describeRrule, toRrule, WEEKDAY_NAME, weekdayOf,WEEKDAYS } from '../lib/recurrence';

const UNITS: { value: RepeatUnit; label: string }[] = [
  { value: 'DAILY', label: 'days' },
  { value: 'WEEKLY', label: 'weeks' },
  { value: 'MONTHLY', label: 'months' },
  { value: 'YEARLY', label: 'years' },
];

/**
 * "Repeat": a button that names the rule and opens the picker below it (how often, and when it
 * ends). Native selects and inputs, so it is all keyboard; Escape closes the panel (and does not
 * cancel the form around it). Disabled, with a hint, while there is no due date: a rule needs one.
 */
export function RepeatPicker({ value, onChange, due }: { value: RepeatState; onChange: (next: RepeatState) => void; due: RepeatDue }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const disabled = !due.date;
  const rule = toRrule(value, due);
  const summary = disabled ? 'Does not repeat' : rule ? describeRrule(rule) : 'Does not repeat';
  const set = (patch: Partial<RepeatState>) => onChange({ ...value, ...patch });
  const dueDay = due.date ? Number(due.date.slice(8, 10)) : null;
  const days = value.days.length ? value.days : due.date ? [weekdayOf(due.date)] : [];

  return (
    <div className="repeat-picker" role="group" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`} className="repeat-label">
        Repeat
      </span>
      <button
        type="button"
        className="btn btn-secondary btn-sm repeat-toggle"
        aria-expanded={open && !disabled}
        aria-controls={`${id}-panel`}
        aria-describedby={disabled ? `${id}-hint` : undefined}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="visually-hidden">Repeat: </span>
        {summary}
      </button>
      {disabled && (
        <span id={`${id}-hint`} className="field-hint">
          Set a due date to repeat
        </span>
      )}
      {open && !disabled && (
        <div
          id={`${id}-panel`}
          className="repeat-panel"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <label className="inline-field">
            How often
            <select
              className="select"
              value={value.kind}
              // The panel opens on a request for it: focus goes to its first field.
              autoFocus
              onChange={(e) => set({ kind: e.target.value as RepeatKind })}
            >
              <option value="none">Does not repeat</option>
              <option value="daily">Daily</option>
              <option value="weekdays">Weekdays (Monday to Friday)</option>
              <option value="weekly">Weekly</option>
              <option value="monthly">Monthly</option>
              <option value="yearly">Yearly</option>
              <option value="custom">Custom…</option>
              {value.kind === 'keep' && <option value="keep">{describeRrule(value.rule)} (as set)</option>}
            </select>
          </label>

          {value.kind === 'weekly' && (
            <fieldset className="repeat-days">
              <legend>On</legend>
              {WEEKDAYS.map((day) => (
                <label key={day} className="repeat-day" title={WEEKDAY_NAME[day]}>
                  <input
                    type="checkbox"
                    checked={days.includes(day)}
                    aria-label={WEEKDAY_NAME[day]}
                    onChange={(e) => {
                      const next: Weekday[] = e.target.checked ? [...days, day] : days.filter((d) => d !== day);
                      // At least one day: unticking the last one leaves it.
                      if (next.length) set({ days: next });
                    }}
                  />
                  <span aria-hidden="true">{WEEKDAY_NAME[day].slice(0, 2)}</span>
                </label>
              ))}
            </fieldset>
          )}

          {value.kind === 'monthly' && (
            <label className="inline-field">
              On
              <select className="select" value={value.monthDay} onChange={(e) => set({ monthDay: e.target.value as 'date' | 'last' })}>
                <option value="date">Day {dueDay} (the due date’s)</option>
                <option value="last">The last day</option>
              </select>
            </label>
          )}

          {value.kind === 'custom' && (
            <div className="repeat-custom">
              <label className="inline-field">
                Every
                <input
                  type="number"
                  className="input repeat-number"
                  min={1}
                  max={TODO_LIMITS.recurrence.maxInterval}
                  value={value.interval}
                  onChange={(e) => set({ interval: Number(e.target.value) })}
                />
              </label>
              <label className="inline-field">
                <span className="visually-hidden">Unit</span>
                <span aria-hidden="true">&nbsp;</span>
                <select className="select" value={value.unit} onChange={(e) => set({ unit: e.target.value as RepeatUnit })}>
                  {UNITS.map((u) => (
                    <option key={u.value} value={u.value}>
                      {u.label}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          )}

          {value.kind !== 'none' && value.kind !== 'keep' && (
            <div className="repeat-end">
              <label className="inline-field">
                Ends
                <select className="select" value={value.end} onChange={(e) => set({ end: e.target.value as RepeatEndKind })}>
                  <option value="never">Never</option>
                  <option value="count">After a number of times</option>
                  <option value="until">On a date</option>
                </select>
              </label>
              {value.end === 'count' && (
                <label className="inline-field">
                  Times
                  <input
                    type="number"
                    className="input repeat-number"
                    min={1}
                    max={TODO_LIMITS.recurrence.maxCount}
                    value={value.count}
                    onChange={(e) => set({ count: Number(e.target.value) })}
                  />
                </label>
              )}
              {value.end === 'until' && (
                <label className="inline-field">
                  Last date
                  <input
                    type="date"
                    className="input"
                    min={due.date}
                    value={value.until}
                    onChange={(e) => set({ until: e.target.value })}
                  />
                </label>
              )}
            </div>
          )}
          <p className="field-hint repeat-preview" aria-live="polite">
            {rule ? describeRrule(rule) : 'Does not repeat'}
          </p>
        </div>
      )}
    </div>
  );
}
