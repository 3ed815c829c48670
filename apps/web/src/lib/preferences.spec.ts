import { browserTimeZone, followUser, preferences, resolvePreferences } from './preferences';

describe('preferences', () => {
  it('takes the profile’s zone and locale where set and valid, else the browser’s', () => {
    expect(resolvePreferences({ timeZone: 'Asia/Tokyo', locale: 'de-DE' })).toEqual({ timeZone: 'Asia/Tokyo', locale: 'de-DE' });
    const browser = resolvePreferences(null);
    expect(browser.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(resolvePreferences({ timeZone: null, locale: null })).toEqual(browser);
    // A zone or tag this browser does not know (an older engine, a typo stored elsewhere) falls back.
    expect(resolvePreferences({ timeZone: 'Mars/Olympus', locale: 'not a locale!' })).toEqual(browser);
  });

  it('follows the user, and back to the browser’s on sign-out, keeping the object when nothing changed', () => {
    followUser({ timeZone: 'Europe/Berlin', locale: 'en-GB' });
    const first = preferences.get();
    expect(first).toEqual({ timeZone: 'Europe/Berlin', locale: 'en-GB' });
    followUser({ timeZone: 'Europe/Berlin', locale: 'en-GB' });
    expect(preferences.get()).toBe(first);
    followUser(null);
    expect(preferences.get().timeZone).toBe(browserTimeZone());
  });
});
