import { useEffect, useRef } from 'react';

import { CloseIcon } from '../../../components/icons';
import { usePreferences } from '../../../lib/preferences';
import { formatDue } from '../lib/due-format';
import { dueRequest } from '../lib/due-input';
import { PRIORITY_LABEL } from '../lib/priority';
import type { QuickAddParse, QuickAddPart, QuickAddPartKind } from '../lib/quick-add-parser';
import { describeRrule, toRrule } from '../lib/recurrence';

/** What a part stands for, for people ("Due: Fri, 1 Jan, 09:00", "Repeat: Every month on the 1st"). */
function partLabel(part: QuickAddPart, parsed: QuickAddParse, prefs: ReturnType<typeof usePreferences>): string {
  switch (part.kind) {
    case 'due': {
      const fields = parsed.due ? dueRequest(parsed.due, prefs.timeZone) : { dueDate: null };
      return `Due: ${fields.dueDate ? formatDue({ dueDate: fields.dueDate, allDay: fields.allDay }, prefs) : part.source}`;
    }
    case 'repeat': {
      const rule = parsed.repeat && parsed.due ? toRrule(parsed.repeat, parsed.due) : null;
      return `Repeat: ${rule ? describeRrule(rule, prefs.locale) : part.source}`;
    }
    case 'priority':
      return `Priority: ${parsed.priority ? PRIORITY_LABEL[parsed.priority] : part.source}`;
    case 'category':
      return `Category: ${parsed.category ?? part.source}`;
  }
}

/**
 * The parts the quick add recognised in its text, as chips under the line. Each chip's button
 * (named "Due: Fri, 1 Jan, 09:00, remove") keeps that part's words as plain text; focus then
 * goes to the next chip, or back to the line after the last one. A part whose picker the user
 * set for this todo is shown as overridden: the picker's value is the one saved.
 */
export function QuickAddChips({
  parsed,
  overridden,
  onRemove,
  onEmpty,
  summaryId,
}: {
  parsed: QuickAddParse;
  overridden: Record<QuickAddPartKind, boolean>;
  onRemove: (key: string) => void;
  onEmpty: () => void;
  summaryId: string;
}) {
  const prefs = usePreferences();
  const listRef = useRef<HTMLUListElement>(null);
  const focusIndex = useRef<number | null>(null);
  const chips = parsed.parts.map((part) => ({ part, label: partLabel(part, parsed, prefs), overridden: overridden[part.kind] }));

  useEffect(() => {
    if (focusIndex.current === null) return;
    const buttons = listRef.current?.querySelectorAll('button');
    const next = buttons?.[Math.min(focusIndex.current, buttons.length - 1)];
    focusIndex.current = null;
    if (next) next.focus();
    else onEmpty();
  });

  return (
    <div className="quick-add-chips">
      <ul ref={listRef} className="quick-add-chip-list" aria-label="Recognised in the text">
        {chips.map(({ part, label, overridden }, index) => (
          <li
            key={part.key}
            className={`quick-add-chip quick-add-chip-${part.kind}${overridden ? ' is-overridden' : ''}`}
            title={`From “${part.source}”`}
          >
            <span className="quick-add-chip-label">{label}</span>
            {overridden && <span className="quick-add-chip-note">picker wins</span>}
            <button
              type="button"
              className="quick-add-chip-remove"
              aria-label={`${label}${overridden ? ' (overridden by the picker)' : ''}, remove`}
              onClick={() => {
                // The last chip takes the whole row with it: back to the line at once.
                if (chips.length === 1) onEmpty();
                else focusIndex.current = index;
                onRemove(part.key);
              }}
            >
              <CloseIcon width="12" height="12" />
            </button>
          </li>
        ))}
      </ul>
      <span id={summaryId} className="field-hint">
        <span className="visually-hidden">Recognised: {chips.map((c) => c.label).join('; ')}. </span>
        Remove a chip to keep its words as text; words in “quotes” stay as typed.
      </span>
    </div>
  );
}
