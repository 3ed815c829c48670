const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const shortDateYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));

/** "just now", "5 min ago", "14:05" (today), "Mar 3", "Mar 3, 2025". */
export function formatRelative(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  const seconds = Math.round((now - at.getTime()) / 1000);
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  const today = new Date(now);
  if (at.toDateString() === today.toDateString()) return time.format(at);
  return at.getFullYear() === today.getFullYear() ? shortDate.format(at) : shortDateYear.format(at);
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
