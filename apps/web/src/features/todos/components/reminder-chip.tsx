import { BellIcon } from '../../../components/icons';
import type { TimePreferences } from '../../../lib/preferences';
import { formatReminder, formatReminderFull } from '../lib/due-format';

/**
 * The bell chip of a todo row: when its reminder is (in the user's zone and locale). One that has
 * fired stays, muted ("Reminded …"), until it is moved (snoozed, edited) or removed; a completed
 * todo shows none (completing cancels it).
 */
export function ReminderChip({ remindAt, prefs, now }: { remindAt: string; prefs: TimePreferences; now: number }) {
  const past = Date.parse(remindAt) <= now;
  return (
    <span
      className={`tag reminder-chip${past ? ' is-past' : ''}`}
      title={`${past ? 'Reminded' : 'Reminder'}: ${formatReminderFull(remindAt, prefs)}`}
    >
      <BellIcon width={12} height={12} />
      <span className="visually-hidden">{past ? 'Reminded ' : 'Reminder '}</span>
      <time dateTime={remindAt}>{formatReminder(remindAt, prefs, now)}</time>
    </span>
  );
}
