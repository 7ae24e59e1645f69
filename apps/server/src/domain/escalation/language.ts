import { compileLexicon, type CompiledLexicon } from './lexicon.js';
import { LEXICONS } from './lexicons/index.js';
import { fold, LANGUAGES, normalise, type Language, type Token } from './normalise.js';

export interface LanguageGuess {
  /** The message's language, or null when nothing in it tells (then the locale's, if any). */
  language: Language | null;
  scores: Record<Language, number>;
}

/** Characters that only some of the languages write. */
const LETTER_HINTS: Array<[RegExp, Partial<Record<Language, number>>]> = [
  [/[ßäöü]/, { de: 1 }],
  [/[ñ¿¡]/, { es: 1 }],
  [/[ãõ]/, { pt: 1 }],
  [/ç/, { fr: 0.5, pt: 0.5 }],
  [/[êâôû]/, { fr: 0.3, pt: 0.3 }],
  [/[èìòù]/, { it: 0.5, fr: 0.3 }],
  [/ij/, { nl: 0.5 }],
];

/** Every plain word of a lexicon, for telling short messages apart ("Grazie mille", "Guten Morgen"). */
const vocabularies = new Map<Language, Set<string>>();
function vocabulary(compiled: CompiledLexicon): Set<string> {
  const language = compiled.lexicon.language;
  let words = vocabularies.get(language);
  if (!words) {
    const { concepts, smallTalk } = compiled.lexicon;
    const entries = [...Object.values(concepts).flat(), ...Object.values(smallTalk).flat()];
    words = new Set(
      entries
        .flatMap((entry) => fold(entry).split(/[^\p{L}\p{N}*#=]+/u))
        .filter((word) => word.length > 2 && !/[*#=]/.test(word)),
    );
    vocabularies.set(language, words);
  }
  return words;
}

function localeLanguage(locale: string | null | undefined): Language | null {
  const base = locale?.toLowerCase().split('-')[0];
  return base && (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : null;
}

/**
 * Guesses the language from short function words ("the", "je", "ich", "que"), the lexicons'
 * own words and letters only some languages use; a word shared by several languages counts
 * for each a share. The session's locale breaks ties and decides when nothing else does.
 */
export function guessLanguage(
  text: string,
  tokens: Token[],
  locale?: string | null,
): LanguageGuess {
  const scores = Object.fromEntries(LANGUAGES.map((l) => [l, 0])) as Record<Language, number>;
  const lexicons = LANGUAGES.map((l) => compileLexicon(LEXICONS[l]));
  for (const { text: word } of tokens) {
    const stopHits = lexicons.filter((c) => c.stopwords.has(word));
    for (const c of stopHits) scores[c.lexicon.language] += 1 / stopHits.length;
    if (stopHits.length) continue;
    const wordHits = lexicons.filter((c) => vocabulary(c).has(word));
    for (const c of wordHits) scores[c.lexicon.language] += 0.5 / wordHits.length;
  }
  const lower = text.slice(0, 4000).toLowerCase();
  for (const [pattern, weights] of LETTER_HINTS) {
    if (!pattern.test(lower)) continue;
    for (const [language, weight] of Object.entries(weights))
      scores[language as Language] += weight;
  }
  const hinted = localeLanguage(locale);
  if (hinted) scores[hinted] += 0.25;
  let best: Language | null = null;
  for (const language of LANGUAGES)
    if (scores[language] > 0 && (best === null || scores[language] > scores[best])) best = language;
  return { language: best, scores };
}

/**
 * The languages to read a message in, most likely first: the guessed language, any close
 * to it, and English (visitors mix in "chargeback", "GDPR", "manager"). When nothing tells
 * the language apart, all of them.
 */
export function candidateLanguages(guess: LanguageGuess): Language[] {
  const top = guess.language ? guess.scores[guess.language] : 0;
  const ranked = [...LANGUAGES].sort((a, b) => guess.scores[b] - guess.scores[a]);
  if (top === 0) return ranked;
  const close = ranked.filter((l) => guess.scores[l] > 0 && guess.scores[l] >= top / 2);
  return close.includes('en') ? close : [...close, 'en'];
}

/** The message's language on its own (the console and the evaluation show it). */
export function detectLanguage(text: string, locale?: string | null): Language | null {
  return guessLanguage(text, normalise(text), locale).language;
}
