import type { Ticket0ChatStrings } from './strings.js';

/** The languages the widget speaks; English is built in, the others load on demand. */
export const LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'ar', 'he'] as const;
export type Language = (typeof LANGUAGES)[number];

const RIGHT_TO_LEFT: ReadonlySet<Language> = new Set(['ar', 'he']);

export const isRightToLeft = (language: Language): boolean => RIGHT_TO_LEFT.has(language);

/**
 * The first tag of `candidates` whose language the widget speaks (`fr-CA` → `fr`), with the
 * tag itself, which goes to the server as the chat's locale. English when none matches.
 */
export function pickLanguage(candidates: ReadonlyArray<string | null | undefined>): {
  language: Language;
  tag: string;
} {
  for (const tag of candidates) {
    const language = tag?.toLowerCase().split(/[-_]/)[0];
    if (tag && (LANGUAGES as readonly string[]).includes(language ?? '')) {
      return { language: language as Language, tag };
    }
  }
  return { language: 'en', tag: 'en' };
}

/** The built-in wording of `language` (null for English, which is always there). */
export async function loadStrings(language: Language): Promise<Ticket0ChatStrings | null> {
  if (language === 'en') return null;
  // One small chunk per language; a visitor downloads only their own.
  const module = (await import(`./locales/${language}.ts`)) as { default: Ticket0ChatStrings };
  return module.default;
}
