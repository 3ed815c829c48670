import type { User } from '@micronote/contracts';

import { createStore, useStore } from './store';

/** Where and how the user reads dates: the profile's zone and locale, else the browser's. */
export interface TimePreferences {
  /** An IANA zone that `Intl` knows. */
  timeZone: string;
  /** A BCP 47 tag that `Intl` accepts. */
  locale: string;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function isLocale(locale: string): boolean {
  try {
    return Intl.getCanonicalLocales(locale).length === 1;
  } catch {
    return false;
  }
}

export function browserTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isTimeZone(zone) ? zone : 'UTC';
}

export function browserLocale(): string {
  const locale = (typeof navigator !== 'undefined' && navigator.language) || Intl.DateTimeFormat().resolvedOptions().locale;
  return locale && isLocale(locale) ? locale : 'en-US';
}

/** The profile's choices where set (and valid here), else the browser's. */
export function resolvePreferences(user?: Pick<User, 'timeZone' | 'locale'> | null): TimePreferences {
  return {
    timeZone: user?.timeZone && isTimeZone(user.timeZone) ? user.timeZone : browserTimeZone(),
    locale: user?.locale && isLocale(user.locale) ? user.locale : browserLocale(),
  };
}

/**
 * The current preferences, outside React too: the API client sends `timeZone` as `X-Time-Zone`
 * on every request. The app keeps it in step with the signed-in user (app/provider.tsx).
 */
export const preferences = createStore<TimePreferences>(resolvePreferences(null));

/** Sets the preferences from the user (null: signed out, the browser's), keeping the same object when nothing changed. */
export function followUser(user: Pick<User, 'timeZone' | 'locale'> | null | undefined): void {
  const next = resolvePreferences(user);
  preferences.set((current) => (current.timeZone === next.timeZone && current.locale === next.locale ? current : next));
}

export const usePreferences = (): TimePreferences => useStore(preferences);
