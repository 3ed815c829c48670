import { i18n } from '../i18n/i18n';
import { preferences } from './preferences';

/** Date formats in the user's locale (the profile's, else the browser's), one per locale and style. */
const formats = new Map<string, Intl.DateTimeFormat>();
function format(style: 'dateTime' | 'shortDate' | 'shortDateYear' | 'time'): Intl.DateTimeFormat {
  const locale = preferences.get().locale;
  const key = `${locale} ${style}`;
  let found = formats.get(key);
  if (!found) {
    const options: Record<typeof style, Intl.DateTimeFormatOptions> = {
      dateTime: { dateStyle: 'medium', timeStyle: 'short' },
      shortDate: { month: 'short', day: 'numeric' },
      shortDateYear: { month: 'short', day: 'numeric', year: 'numeric' },
      time: { timeStyle: 'short' },
    };
    found = new Intl.DateTimeFormat(locale, options[style]);
    formats.set(key, found);
  }
  return found;
}

export const formatDateTime = (iso: string): string => format('dateTime').format(new Date(iso));

/** A number in the user's locale (1,234 / 1.234). */
export const formatNumber = (n: number): string => new Intl.NumberFormat(preferences.get().locale).format(n);

/** "just now", "5 min ago", "14:05" (today), "Mar 3", "Mar 3, 2025" (in the UI's language and the user's locale). */
export function formatRelative(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  const seconds = Math.round((now - at.getTime()) / 1000);
  if (seconds < 45) return i18n.t('time.justNow');
  if (seconds < 3600) return i18n.t('time.minutesAgo', { count: Math.max(1, Math.round(seconds / 60)) });
  const today = new Date(now);
  if (at.toDateString() === today.toDateString()) return format('time').format(at);
  return format(at.getFullYear() === today.getFullYear() ? 'shortDate' : 'shortDateYear').format(at);
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
