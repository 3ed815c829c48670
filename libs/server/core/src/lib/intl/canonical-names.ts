import { USER_LIMITS } from '@micronote/contracts';

/**
 * The one check of a time zone name, for the profile (user-service) and the `X-Time-Zone` header
 * (gateway): the IANA name as this process's `Intl` spells it (`europe/berlin` → `Europe/Berlin`,
 * `US/Eastern` → `America/New_York`), or null when `Intl` does not know it or it is longer than
 * USER_LIMITS.timeZone. Offsets (`+02:00`) and abbreviations Intl rejects are refused.
 */
export function canonicalTimeZone(value: string): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > USER_LIMITS.timeZone.max) return null;
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    return canonical.length <= USER_LIMITS.timeZone.max ? canonical : null;
  } catch {
    return null;
  }
}

/**
 * The one check of a locale: the canonical BCP 47 tag (`en-us` → `en-US`, `zh-hant-tw` →
 * `zh-Hant-TW`), or null when `Intl.getCanonicalLocales` refuses it or it is longer than
 * USER_LIMITS.locale.
 */
export function canonicalLocale(value: string): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > USER_LIMITS.locale.max) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    return canonical !== undefined && canonical.length <= USER_LIMITS.locale.max ? canonical : null;
  } catch {
    return null;
  }
}
