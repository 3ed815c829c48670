import { USER_LIMITS } from '@micronote/contracts';

import { canonicalLocale, canonicalTimeZone } from './canonical-names';

describe('canonicalTimeZone', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['US/Eastern', 'America/New_York'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
  ])('%s is %s', (value, canonical) => {
    expect(canonicalTimeZone(value)).toBe(canonical);
  });

  it.each(['', 'Mars/Olympus', ' Europe/Berlin', '+02:00', 'Z', 'Europe/Berlin\n', 'A'.repeat(USER_LIMITS.timeZone.max + 1)])(
    'refuses %j',
    (value) => {
      expect(canonicalTimeZone(value)).toBeNull();
    },
  );

  it('refuses what is not a string (a header sent twice, a number in a body)', () => {
    expect(canonicalTimeZone(['UTC'] as unknown as string)).toBeNull();
    expect(canonicalTimeZone(42 as unknown as string)).toBeNull();
  });
});

describe('canonicalLocale', () => {
  it.each([
    ['en-GB', 'en-GB'],
    ['en-us', 'en-US'],
    ['de', 'de'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['en-US-u-ca-gregory', 'en-US-u-ca-gregory'],
  ])('%s is %s', (value, canonical) => {
    expect(canonicalLocale(value)).toBe(canonical);
  });

  it.each(['', 'en_US', 'x', ' en', 'i-klingon', `en-x${'-abcdefgh'.repeat(4)}` /* valid, but 40 > USER_LIMITS.locale.max */])(
    'refuses %j',
    (value) => {
      expect(canonicalLocale(value)).toBeNull();
    },
  );

  it('refuses what is not a string', () => {
    expect(canonicalLocale(['en'] as unknown as string)).toBeNull();
  });
});
