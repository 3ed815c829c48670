import i18next from 'i18next';
import resourcesToBackend from 'i18next-resources-to-backend';
import { initReactI18next } from 'react-i18next';

import { en } from './locales/en';
import type { Messages } from './messages';

/** The languages the UI speaks; a locale's language that is not here falls back to English. */
export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Every language but English, each its own chunk, loaded when first chosen. */
const loaders: Record<Exclude<Language, 'en'>, () => Promise<Messages>> = {
  de: async () => (await import('./locales/de')).de,
};

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: typeof en;
  }
}

/** The UI language of a BCP 47 locale: its language when the UI speaks it, else English. */
export function languageOf(locale: string): Language {
  const language = locale.toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : 'en';
}

export const i18n = i18next.createInstance();

void i18n
  .use(initReactI18next)
  .use(
    resourcesToBackend(async (language: string, namespace: string) => {
      const load = loaders[language as keyof typeof loaders];
      return load ? (await load())[namespace as keyof Messages] : undefined;
    }),
  )
  .init({
    // English is bundled (synchronous init, no flash of keys); the others come from the backend.
    resources: { en },
    partialBundledLanguages: true,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: LANGUAGES,
    ns: Object.keys(en),
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });

/**
 * Switches the UI to the language of `locale` (the profile's, else the browser's) and marks the
 * document with it; resolves once its strings are loaded.
 */
export async function followLocale(locale: string): Promise<void> {
  const language = languageOf(locale);
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  if (i18n.language !== language) await i18n.changeLanguage(language);
}
