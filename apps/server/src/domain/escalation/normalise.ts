/**
 * Turns a visitor message into tokens the lexicons can match however it was typed: case,
 * accents, curly apostrophes, English contractions (with or without the apostrophe), French
 * and Italian elisions, money amounts in any common notation, and a light per-language
 * stemmer so "charged", "charges" and "charging" meet the same lexicon entry.
 */

export const LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Stands for any money amount ("$15,000", "1 200 €", "R$ 350", "80 euros"). */
export const AMOUNT_TOKEN = 'xamountx';

/** Only the start of a long message is read: the signals that matter come early, and the work stays bounded. */
export const MAX_CHARS = 4000;
export const MAX_TOKENS = 400;

export interface Token {
  /** Lower case, accents removed. */
  text: string;
  /** Index of the clause it is in: commas and sentence ends separate clauses (negation stops there). */
  clause: number;
  /** Index of the sentence it is in: combinations of concepts are looked for within one sentence. */
  sentence: number;
}

const APOSTROPHES = /[’‘`´ʼ′]/g;

const NUMBER = String.raw`\d{1,3}(?:[ .,'\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const CURRENCY_BEFORE = String.raw`(?:r\$|us\$|a\$|c\$|[$€£¥]|(?:eur|usd|gbp|chf|brl)\b)`;
const CURRENCY_AFTER = String.raw`(?:[$€£¥]|eur(?:os?)?\b|euro\b|usd\b|dollars?\b|d[oó]lares\b|gbp\b|pounds?\b|quid\b|bucks\b|chf\b|francs?\b|franken\b|reais\b|real\b|brl\b|kr\b|sek\b|nok\b|dkk\b|pln\b)`;
const AMOUNT = new RegExp(`${CURRENCY_BEFORE}\\s?(?:${NUMBER})|(?:${NUMBER})\\s?(?:k\\s?)?${CURRENCY_AFTER}`, 'gu');

/** English contractions written with an apostrophe. */
const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bcan't\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/\bshan't\b/g, 'shall not'],
  [/\bain't\b/g, 'is not'],
  [/n't\b/g, ' not'],
  [/\bi'm\b/g, 'i am'],
  [/'re\b/g, ' are'],
  [/'ve\b/g, ' have'],
  [/'ll\b/g, ' will'],
  [/\b(i|you|we|they|he|she)'d\b/g, '$1 would'],
  [/\blet's\b/g, 'let us'],
  [/\b(it|that|what|there|here|he|she|who|where|how|this)'s\b/g, '$1 is'],
  [/'s\b/g, ''],
];

/** The same contractions typed without the apostrophe ("dont", "cant", "didnt"). */
const BARE_CONTRACTIONS: Record<string, string> = {
  dont: 'do not',
  doesnt: 'does not',
  didnt: 'did not',
  cant: 'can not',
  cannot: 'can not',
  couldnt: 'could not',
  wouldnt: 'would not',
  shouldnt: 'should not',
  isnt: 'is not',
  wasnt: 'was not',
  arent: 'are not',
  werent: 'were not',
  havent: 'have not',
  hasnt: 'has not',
  hadnt: 'had not',
  wont: 'will not',
  ive: 'i have',
  youre: 'you are',
  theyre: 'they are',
  thats: 'that is',
  whats: 'what is',
  // "im" stays: in German it is a word of its own.
};

const FOLDED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ı: 'i' };

/** Lower case without accents: "Löschung" → "loschung", "réglé" → "regle". */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/[ßæœøłđı]/g, (c) => FOLDED[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
}

const TOKEN = /[\p{L}\p{N}]+|[.!?;:,()\n]/gu;

/** The message as tokens, with money amounts replaced by {@link AMOUNT_TOKEN}. */
export function normalise(text: string): Token[] {
  let s = text.slice(0, MAX_CHARS).normalize('NFKC').toLowerCase().replace(APOSTROPHES, "'");
  s = s.replace(AMOUNT, ` ${AMOUNT_TOKEN} `);
  for (const [pattern, replacement] of CONTRACTIONS) s = s.replace(pattern, replacement);
  s = fold(s);
  const tokens: Token[] = [];
  let clause = 0;
  let sentence = 0;
  for (const match of s.matchAll(TOKEN)) {
    const word = match[0];
    if (!/[\p{L}\p{N}]/u.test(word)) {
      if (tokens.length && tokens.at(-1)!.clause === clause) clause++;
      if (tokens.length && tokens.at(-1)!.sentence === sentence && /[.!?\n]/.test(word)) sentence++;
      continue;
    }
    for (const part of (BARE_CONTRACTIONS[word] ?? word).split(' ')) tokens.push({ text: part, clause, sentence });
    if (tokens.length >= MAX_TOKENS) break;
  }
  return tokens;
}

/** Longest suffix first; a stem keeps at least three letters. */
const SUFFIXES: Record<Language, string[]> = {
  en: ['ies', 'ing', 'ed', 'es', 'ly', 's', 'e'],
  fr: ['issements', 'issement', 'ements', 'ement', 'ations', 'ation', 'euses', 'euse', 'ees', 'ee', 'es', 'er', 'ez', 'e', 's', 'x'],
  de: ['ungen', 'innen', 'erin', 'ung', 'ern', 'en', 'er', 'em', 'es', 'in', 'e', 'n', 's'],
  es: ['amientos', 'imientos', 'amiento', 'imiento', 'aciones', 'acion', 'aron', 'ieron', 'ando', 'iendo', 'ados', 'adas', 'idos', 'idas', 'ado', 'ada', 'ido', 'ida', 'ar', 'er', 'ir', 'os', 'as', 'es', 'o', 'a', 'e', 's'],
  it: ['azioni', 'azione', 'amenti', 'amento', 'ando', 'endo', 'ato', 'ata', 'ati', 'ate', 'ito', 'ita', 'iti', 'ite', 'are', 'ere', 'ire', 'i', 'e', 'a', 'o'],
  pt: ['amentos', 'amento', 'acoes', 'acao', 'aram', 'eram', 'iram', 'ando', 'endo', 'ados', 'adas', 'idos', 'idas', 'ado', 'ada', 'ido', 'ida', 'ar', 'er', 'ir', 'os', 'as', 'es', 'o', 'a', 'e', 's'],
  nl: ['heden', 'ingen', 'ing', 'ers', 'en', 'er', 'es', 'e', 's'],
};

const MIN_STEM = 3;

/** A light stemmer: strips one inflectional suffix ("debitato" → "debit", "Mitarbeitern" → "mitarbeit"). */
export function stem(token: string, language: Language): string {
  if (token === AMOUNT_TOKEN || /\d/.test(token)) return token;
  if (language === 'en' && token.endsWith('ies') && token.length > 4) return `${token.slice(0, -3)}y`;
  for (const suffix of SUFFIXES[language]) {
    if (token.endsWith(suffix) && token.length - suffix.length >= MIN_STEM) return token.slice(0, -suffix.length);
  }
  return token;
}
