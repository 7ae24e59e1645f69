/**
 * Reading a text the ways a model might disguise it: normalised (NFKC, zero-width and bidi
 * controls removed, Arabic digits read as ASCII), folded (lower case, homoglyphs read as
 * Latin, accents stripped, contractions expanded), and read again as leetspeak, ROT13,
 * base64 and invisible tag text. Every rule reads these views, never the raw text.
 */


/** Invisible characters a model (or an attacker's example) can hide inside words. */
const INVISIBLE =
  /[\u00AD\u061C\u115F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0]|\u034F|\u1160|[\u17B4\u17B5]|[\u180B-\u180F]|[\uFE00-\uFE0F]|[\u{E0000}-\u{E007F}]|[\u{E0100}-\u{E01EF}]/gu;
/** Unicode "tag" characters spell ASCII invisibly (U+E0041 is an invisible "A"). */
const TAG_CHARS = /[\u{E0020}-\u{E007E}]+/gu;

/** Letters from other scripts that look like Latin ones, as a reader would take them. */
const HOMOGLYPHS: Record<string, string> = Object.fromEntries(
  'аa вb сc ԁd еe ёe һh іi їi јj кk ӏl мm нh оo рp ԛq гr ѕs тt уy үy хx ԝw ɡg ıi ȷj ℓl αa βb εe ηn ιi κk νv οo ρp τt υu χx ωw ϲc ꞵb ꮃw'
    .split(' ')
    .map((pair) => [pair[0]!, pair[1]!]),
);
const HOMOGLYPH_CHARS = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'gu');

export const LEET_I: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'i',
  '+': 't',
};
const LEET_L: Record<string, string> = { ...LEET_I, '1': 'l', '|': 'l' };

const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bcan'?t\b/g, 'can not'],
  [/\bcannot\b/g, 'can not'],
  [/\bwon'?t\b/g, 'will not'],
  [/\bshan't\b/g, 'shall not'],
  [/\b(\w+)n't\b/g, '$1 not'],
  [/\b(i|we|you|they|he|she|it|that|there)'ll\b/g, '$1 will'],
  [/\b(i|we|you|they)'ve\b/g, '$1 have'],
  [/\b(i|we|you|they|he|she)'d\b/g, '$1 would'],
  [/\b(we|you|they)'re\b/g, '$1 are'],
  [/\bi'm\b/g, 'i am'],
  [/\blet's\b/g, 'let us'],
  [/\b(it|that|there|here|what|who|he|she)'s\b/g, '$1 is'],
];

export interface Token {
  text: string;
  start: number;
  end: number;
}

export interface TextViews {
  /** NFKC, invisibles removed, ASCII digits and quotes: the text as the visitor reads it. */
  plain: string;
  /** plain, lower case, homoglyphs folded, accents stripped, English contractions expanded. */
  folded: string;
  foldedTokens: Token[];
  /** folded with leetspeak inside words read as letters ("1d10t" → "idiot"), two ways for "1". */
  deleet: string[];
  /** The folded text with ROT13 undone. */
  rot13: string;
  /** What the text hides: decoded base64 runs and invisible tag text, folded. */
  decoded: string[];
}

const viewCache = new Map<string, TextViews>();

export function viewsOf(text: string): TextViews {
  const cached = viewCache.get(text);
  if (cached) return cached;
  const plain = toPlain(text);
  const folded = fold(plain);
  const decoded = [...decodeBase64Runs(plain), ...decodeTags(text)].map(fold);
  const views: TextViews = {
    plain,
    folded,
    foldedTokens: tokenize(folded),
    deleet: [deleet(folded, LEET_I), deleet(folded, LEET_L)].filter((v) => v !== folded),
    rot13: rot13(folded),
    decoded,
  };
  if (viewCache.size > 64) viewCache.delete(viewCache.keys().next().value as string);
  viewCache.set(text, views);
  return views;
}

export function toPlain(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u00B4`]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63]/g, '-')
    .replace(/[^\S\n]+/g, ' ');
}

export function fold(plain: string): string {
  let folded = plain
    .toLowerCase()
    .replace(HOMOGLYPH_CHARS, (c) => HOMOGLYPHS[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC');
  for (const [pattern, replacement] of CONTRACTIONS) folded = folded.replace(pattern, replacement);
  return folded;
}

export function deleet(folded: string, table: Record<string, string>): string {
  return (
    folded
      // A lone "1" before a word is the pronoun "I" in leetspeak ("1 w1ll r3fund y0u").
      .replace(/(?<![\p{L}\p{N}.,])1(?=\s+[\p{L}\p{N}]*\p{L})/gu, table['1']!)
      .replace(/[\p{L}\p{N}@$|+]+(?:!+[\p{L}\p{N}@$|+]+)*/gu, (word) =>
        /\p{L}/u.test(word) && /[0-9@$!|+]/.test(word)
          ? [...word].map((c) => table[c] ?? c).join('')
          : word,
      )
  );
}

function rot13(text: string): string {
  return text.replace(/[a-z]/g, (c) =>
    String.fromCharCode(((c.charCodeAt(0) - 97 + 13) % 26) + 97),
  );
}

function decodeBase64Runs(plain: string): string[] {
  const out: string[] = [];
  const runs = plain.match(/[A-Za-z0-9+/_-]{16,}={0,2}(?:\s+[A-Za-z0-9+/_-]{4,}={0,2})*/g) ?? [];
  for (const run of runs) {
    const candidates = new Set([
      run.replace(/\s+/g, ''),
      ...run.split(/\s+/).filter((part) => part.length >= 16),
    ]);
    for (const candidate of candidates) {
      const decoded = decodeBase64(candidate);
      if (decoded) out.push(decoded);
    }
  }
  return out;
}

function decodeBase64(candidate: string): string | null {
  if (!/\d|[+/=]|[a-z][A-Z]|[A-Z]{2}[a-z]/.test(candidate)) return null;
  try {
    const bytes = Buffer.from(candidate.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    const decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (decoded.length < 8) return null;
    const readable = decoded.match(/[\p{L}\p{N}\p{P}\p{Zs}\n\t$€£%+=<>|^~`]/gu)?.length ?? 0;
    return readable / decoded.length >= 0.95 && /\p{L}{3}/u.test(decoded) ? decoded : null;
  } catch {
    return null;
  }
}

function decodeTags(text: string): string[] {
  return (text.match(TAG_CHARS) ?? []).map((run) =>
    [...run].map((c) => String.fromCharCode(c.codePointAt(0)! - 0xe0000)).join(''),
  );
}

export function tokenize(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

export function quote(fragment: string): string {
  const clean = fragment.replace(/\s+/g, ' ').trim();
  return `"${clean.length > 70 ? `${clean.slice(0, 69)}…` : clean}"`;
}

/** The start of the sentence (in `text`) that contains `index`. */
export function sentenceStart(text: string, index: number): number {
  for (let i = index - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === '\n') return i + 1;
    if ('.!?…;'.includes(c) && /\s/.test(text[i + 1] ?? ' ')) return i + 1;
  }
  return 0;
}

export function sentenceEnd(text: string, index: number): number {
  const rest = /[.!?…](?=\s|$)|\n/.exec(text.slice(index));
  return rest ? index + rest.index + 1 : text.length;
}

export function sentenceAround(text: string, index: number): string {
  return text.slice(sentenceStart(text, index), sentenceEnd(text, index));
}

const globalPatterns = new WeakMap<RegExp, RegExp>();
export function globalOf(pattern: RegExp): RegExp {
  let global = globalPatterns.get(pattern);
  if (!global) {
    global = new RegExp(
      pattern.source,
      pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
    );
    globalPatterns.set(pattern, global);
  }
  global.lastIndex = 0;
  return global;
}

/** Builds a case-insensitive Unicode regex from pieces; `\b` is only used next to ASCII words. */
export function re(source: string, flags = 'iu'): RegExp {
  return new RegExp(source, flags);
}
