import { followLocale, i18n, languageOf } from './i18n';
import { de } from './locales/de';
import { en } from './locales/en';

type Tree = { [key: string]: string | Tree };

/** Every key path of a namespace with the {{variables}} its string uses. */
function entries(tree: Tree, prefix = ''): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, [...value.matchAll(/{{\s*([\w.]+)/g)].map((m) => m[1]).sort());
    else for (const [nested, vars] of entries(value, path)) out.set(nested, vars);
  }
  return out;
}

/** Plural keys (`_one`, `_other`…) as one key: languages have different plural forms. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe('languages', () => {
  it.each(Object.keys(en))('German has every key of the %s namespace, with the same variables, and no other', (namespace) => {
    const english = entries(en[namespace as keyof typeof en] as Tree);
    const german = entries(de[namespace as keyof typeof de] as Tree);
    const missing = [...english.keys()].filter((key) => !german.has(key) && ![...german.keys()].some((k) => base(k) === base(key)));
    const extra = [...german.keys()].filter((key) => !english.has(key) && ![...english.keys()].some((k) => base(k) === base(key)));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    for (const [key, vars] of german) {
      const source = english.get(key) ?? [...english].find(([k]) => base(k) === base(key))?.[1];
      expect({ key, vars }).toEqual({ key, vars: source });
    }
    for (const [key, value] of german) expect({ key, empty: !value }).toEqual({ key, empty: false });
  });

  it('picks the UI language from a locale, English for one it does not speak', () => {
    expect(languageOf('de-AT')).toBe('de');
    expect(languageOf('de')).toBe('de');
    expect(languageOf('en-GB')).toBe('en');
    expect(languageOf('fr-FR')).toBe('en');
  });

  it('loads German on demand and marks the document', async () => {
    await followLocale('de-DE');
    expect(i18n.t('actions.cancel')).toBe('Abbrechen');
    expect(document.documentElement.lang).toBe('de');
    await followLocale('en-US');
    expect(i18n.t('actions.cancel')).toBe('Cancel');
  });
});
