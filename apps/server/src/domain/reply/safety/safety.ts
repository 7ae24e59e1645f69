/**
 * Output safety: the rules every AI sentence passes before any of it reaches a visitor, and
 * the whole reply passes once more when it is complete.
 *
 * The rule set is data: `safetyRules` is one array of named, documented rules, each a pure
 * function of the text and a `SafetyContext`. The reply pipeline calls `checkSentence` on
 * each sentence the `SentenceBuffer` releases and `checkReply` on the finished message; the
 * first rule that fires names the verdict, which is what operators see on a suppressed reply.
 *
 * Before matching, text is normalised (NFKC, zero-width and bidi controls removed, Arabic
 * digits read as ASCII) and also read the ways a model might disguise it: homoglyphs folded to
 * Latin, leetspeak read as letters, ROT13 undone and base64 runs decoded.
 */

export type SafetyRuleName =
  | 'prompt_leak'
  | 'role_override'
  | 'foreign_personal_data'
  | 'promised_compensation'
  | 'legal_commitment'
  | 'ungrounded_fact'
  | 'disallowed_link'
  | 'abusive_language';

export interface SafetyContext {
  /** Texts the answer may quote facts from: published public KB passages shown to the model, and (only for a verified session) the verified customer's data block. */
  groundingTexts: string[];
  /** Secrets that must never be echoed: the system prompt, lessons, internal notes. Matching is fuzzy enough to catch a verbatim or lightly reformatted leak of any distinctive line (e.g. normalised whitespace/case, n-gram overlap of ≥ ~8 consecutive words), without flagging ordinary phrases. */
  secrets: string[];
  /** Email addresses/phone numbers/identifiers the visitor may see: the verified customer's own, and those that appear in groundingTexts. */
  allowedContacts?: string[];
  /** Domains links may point to (the site's own, PUBLIC_URL's host, help centre); subdomains included. */
  allowedLinkDomains: string[];
}

export interface SafetyRule {
  name: SafetyRuleName;
  description: string;
  /** null = pass; otherwise a short reason naming the offending fragment. */
  check(text: string, context: SafetyContext): string | null;
}

export type SafetyVerdict = { safe: true } | { safe: false; rule: SafetyRuleName; reason: string };

export interface SafetyViolation {
  rule: SafetyRuleName;
  reason: string;
}

/** What the visitor reads instead of a reply that a rule held back. */
export const SAFE_FALLBACK_REPLY =
  "I'm not able to help with that here, but a member of our team can. Would you like me to pass this on?";

// ---------------------------------------------------------------------------------------------
// Reading the text
// ---------------------------------------------------------------------------------------------

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

const LEET_I: Record<string, string> = {
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

interface Token {
  text: string;
  start: number;
  end: number;
}

interface TextViews {
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

function viewsOf(text: string): TextViews {
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

function toPlain(text: string): string {
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

function fold(plain: string): string {
  let folded = plain
    .toLowerCase()
    .replace(HOMOGLYPH_CHARS, (c) => HOMOGLYPHS[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC');
  for (const [pattern, replacement] of CONTRACTIONS) folded = folded.replace(pattern, replacement);
  return folded;
}

function deleet(folded: string, table: Record<string, string>): string {
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

function tokenize(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

function quote(fragment: string): string {
  const clean = fragment.replace(/\s+/g, ' ').trim();
  return `"${clean.length > 70 ? `${clean.slice(0, 69)}…` : clean}"`;
}

/** The start of the sentence (in `text`) that contains `index`. */
function sentenceStart(text: string, index: number): number {
  for (let i = index - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === '\n') return i + 1;
    if ('.!?…;'.includes(c) && /\s/.test(text[i + 1] ?? ' ')) return i + 1;
  }
  return 0;
}

function sentenceEnd(text: string, index: number): number {
  const rest = /[.!?…](?=\s|$)|\n/.exec(text.slice(index));
  return rest ? index + rest.index + 1 : text.length;
}

function sentenceAround(text: string, index: number): string {
  return text.slice(sentenceStart(text, index), sentenceEnd(text, index));
}

// ---------------------------------------------------------------------------------------------
// Reading the context (once per context, not once per sentence)
// ---------------------------------------------------------------------------------------------

/** A run this long, found verbatim in the grounding texts, makes a phrase a quotation. */
const GROUNDED_RUN = 5;
/** A run this long, found verbatim in a secret, is a leak. */
const SECRET_RUN = 8;

interface PreparedContext {
  groundingFolded: string;
  groundingRuns: Set<string>;
  amounts: Set<string>;
  percents: Set<number>;
  durations: Set<string>;
  /** Lines of the grounding texts that name an order, with the statuses they state. */
  orderLines: Array<{ ids: Set<string>; statuses: Set<StatusClass>; folded: string }>;
  mentionsRefunds: boolean;
  emails: Set<string>;
  phoneTails: Set<string>;
  identifiers: Set<string>;
  secretRuns: Set<string>;
  secretSegments: string[];
  linkDomains: string[];
}

const preparedCache = new WeakMap<
  SafetyContext,
  { inputs: unknown[]; prepared: PreparedContext }
>();

/** What one grounding text contributes; texts repeat across replies, so this is memoised. */
interface GroundingFacts {
  folded: string;
  tokens: string[];
  runs: string[];
  amounts: string[];
  percents: number[];
  durations: string[];
  orderLines: PreparedContext['orderLines'];
  contacts: ContactFacts;
}

interface ContactFacts {
  emails: string[];
  phoneTails: string[];
  identifiers: string[];
}

/** A secret's candidate runs and distinctive short lines, before public ones are removed. */
interface SecretFacts {
  runs: string[];
  segments: string[];
}

/** Bounded memo: the same passages and prompt come back reply after reply. */
function memo<T>(limit: number, compute: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const value = compute(text);
    if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
    cache.set(text, value);
    return value;
  };
}

const contactFactsOf = memo(512, (plain: string): ContactFacts => ({
  emails: extractEmails(plain).map((e) => e.value),
  phoneTails: [...extractPhones(plain), ...longDigitRuns(plain)].map(phoneTail),
  identifiers: [...extractIdentifiers(plain).map((i) => i.key), ...identifierWords(plain)],
}));

const groundingFactsOf = memo(512, (text: string): GroundingFacts => {
  const plain = toPlain(text);
  const folded = fold(plain);
  const tokens = tokenize(folded).map((t) => t.text);
  return {
    folded,
    tokens,
    runs: [...runsOf([tokens], GROUNDED_RUN)],
    amounts: extractAmounts(folded).flatMap((a) => a.keys),
    percents: extractPercents(folded).map((p) => p.value),
    durations: extractDurations(folded).flatMap((d) => d.keys),
    orderLines: folded
      .split(/\n+/)
      .map((line) => ({ ids: new Set(orderRefsIn(line)), statuses: statusesIn(line), folded: line }))
      .filter((line) => line.ids.size > 0),
    contacts: contactFactsOf(plain),
  };
});

const secretFactsOf = memo(64, (secret: string): SecretFacts => {
  const plain = toPlain(secret);
  const runs: string[] = [];
  const segments: string[] = [];
  for (const variant of [fold(plain), deleet(fold(plain), LEET_I)]) {
    const words = tokenize(variant).map((t) => t.text);
    for (let i = 0; i + SECRET_RUN <= words.length; i++) {
      const run = words.slice(i, i + SECRET_RUN);
      // A run of filler words is no secret.
      if (contentWords(run) >= 3) runs.push(run.join(' '));
    }
    // A short but distinctive line ("Never mention the Lyon warehouse.") is a secret as a whole.
    for (const segment of variant.split(/\n+|[.!?;:]+(?=\s|$)/)) {
      const segmentWords = tokenize(segment).map((t) => t.text);
      if (segmentWords.length >= 5 && segmentWords.length < SECRET_RUN && contentWords(segmentWords) >= 3) {
        segments.push(segmentWords.join(' '));
      }
    }
  }
  return { runs, segments };
});

function prepare(context: SafetyContext): PreparedContext {
  const inputs = [
    context.groundingTexts,
    context.secrets,
    context.allowedContacts,
    context.allowedLinkDomains,
  ];
  const cached = preparedCache.get(context);
  if (cached && cached.inputs.every((input, i) => input === inputs[i])) return cached.prepared;

  const grounding = context.groundingTexts.map(groundingFactsOf);
  const contacts = [...grounding.map((g) => g.contacts), ...(context.allowedContacts ?? []).map((c) => contactFactsOf(toPlain(c)))];
  const groundingTokenLine = ` ${grounding.map((g) => g.tokens.join(' ')).join(' ')} `;
  const prepared: PreparedContext = {
    groundingFolded: grounding.map((g) => g.folded).join('\n'),
    groundingRuns: new Set(grounding.flatMap((g) => g.runs)),
    amounts: new Set(grounding.flatMap((g) => g.amounts)),
    percents: new Set(grounding.flatMap((g) => g.percents)),
    durations: new Set(grounding.flatMap((g) => g.durations)),
    orderLines: grounding.flatMap((g) => g.orderLines),
    mentionsRefunds: grounding.some((g) => /refund|reimburs|rembours|erstatt|reembols/.test(g.folded)),
    emails: new Set(contacts.flatMap((c) => c.emails)),
    phoneTails: new Set(contacts.flatMap((c) => c.phoneTails)),
    identifiers: new Set(contacts.flatMap((c) => c.identifiers)),
    secretRuns: new Set(),
    secretSegments: [],
    linkDomains: context.allowedLinkDomains.map(normaliseDomain).filter((d) => d.length > 0),
  };

  // What the knowledge base also says is public, not a secret.
  for (const secret of context.secrets) {
    const facts = secretFactsOf(secret);
    for (const run of facts.runs) if (!groundingTokenLine.includes(` ${run} `)) prepared.secretRuns.add(run);
    for (const segment of facts.segments) {
      if (!groundingTokenLine.includes(` ${segment} `)) prepared.secretSegments.push(segment);
    }
  }

  preparedCache.set(context, { inputs, prepared });
  return prepared;
}

function runsOf(texts: string[][], length: number): Set<string> {
  const runs = new Set<string>();
  for (const words of texts) {
    for (let i = 0; i + length <= words.length; i++) runs.add(words.slice(i, i + length).join(' '));
  }
  return runs;
}

const STOPWORDS = new Set(
  (
    'a an the and or but if of to in on at by for with from as is are was were be been being am do does did have has had ' +
    'i you he she it we they me him her us them my your his its our their this that these those there here what which who ' +
    'not no so than then too very can could will would shall should may might must just also only about into over out up ' +
    'all any some each more most other such own same again further once when where why how both few nor off per via ' +
    'whether get got let make made take taken give given ' +
    'le la les un une des de du et ou en au aux je tu il elle nous vous ils est sont pas ne que qui pour par sur dans avec ' +
    'der die das ein eine und oder ist sind nicht zu mit von fur auf im den dem ich sie wir es el los las y o es son no que ' +
    'por para con del al lo se su sus un una'
  ).split(' '),
);

function contentWords(words: string[]): number {
  return words.filter((w) => !STOPWORDS.has(w) && !/^\d+$/.test(w)).length;
}

/**
 * Whether the phrase at [start, end) of the folded text is a quotation from the grounding
 * texts: every word of it lies inside a run of GROUNDED_RUN words found there verbatim.
 */
function isQuoted(
  views: TextViews,
  start: number,
  end: number,
  prepared: PreparedContext,
): boolean {
  const tokens = views.foldedTokens;
  const inside = tokens
    .map((t, i) => (t.end > start && t.start < end ? i : -1))
    .filter((i) => i >= 0);
  if (inside.length === 0) return false;
  const covered = new Set<number>();
  const first = Math.max(0, inside[0]! - GROUNDED_RUN + 1);
  const last = Math.min(tokens.length - GROUNDED_RUN, inside[inside.length - 1]!);
  for (let i = first; i <= last; i++) {
    const run = tokens
      .slice(i, i + GROUNDED_RUN)
      .map((t) => t.text)
      .join(' ');
    if (prepared.groundingRuns.has(run)) for (let j = i; j < i + GROUNDED_RUN; j++) covered.add(j);
  }
  return inside.every((i) => covered.has(i));
}

// ---------------------------------------------------------------------------------------------
// Phrase matching shared by several rules
// ---------------------------------------------------------------------------------------------

interface PhraseOptions {
  /** Matches in the folded view that are verbatim quotations from the grounding pass. */
  allowQuotes?: boolean;
  /** Extra reasons a match in the folded view is harmless (a hedge, a condition, …). */
  excuse?: (folded: string, match: RegExpExecArray, prepared: PreparedContext) => boolean;
  /** Also read the disguised views (leetspeak, ROT13, base64, tags). */
  disguised?: boolean;
  /**
   * Where in the match the quotation may start: "you'll get 10% off your first order" is a
   * quotation when "get 10% off your first order" is one.
   */
  quotedFrom?: RegExp;
}

function findPhrase(
  patterns: RegExp[],
  views: TextViews,
  prepared: PreparedContext,
  options: PhraseOptions = {},
): string | null {
  const readings = [
    views.folded,
    ...(options.disguised === false ? [] : [...views.deleet, views.rot13, ...views.decoded]),
  ];
  for (const [index, reading] of readings.entries()) {
    for (const pattern of patterns) {
      for (const match of reading.matchAll(globalOf(pattern))) {
        const found = match as RegExpExecArray;
        // The plain reading already judged this very phrase, excuses included.
        if (index > 0 && views.folded.includes(found[0])) continue;
        if (
          index === 0 &&
          options.allowQuotes &&
          isQuoted(views, found.index, found.index + found[0].length, prepared)
        )
          continue;
        const tail = options.quotedFrom?.exec(found[0]);
        if (
          index === 0 &&
          options.allowQuotes &&
          tail &&
          isQuoted(views, found.index + tail.index, found.index + found[0].length, prepared)
        )
          continue;
        if (options.excuse?.(reading, found, prepared)) continue;
        return quote(found[0]);
      }
    }
  }
  return null;
}

const globalPatterns = new WeakMap<RegExp, RegExp>();
function globalOf(pattern: RegExp): RegExp {
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
function re(source: string, flags = 'iu'): RegExp {
  return new RegExp(source, flags);
}

/** Words a sentence uses to report on a condition or a question rather than state a fact. */
const HEDGE_BEFORE =
  /\b(?:whether|see if|check if|ask if|ask them if|find out if|know if|decide if|wish|hope|hopefully|unsure if|not sure if|can not promise|can not guarantee|no guarantee)\b[^.!?\n]*$/;

function hedged(folded: string, index: number): boolean {
  return HEDGE_BEFORE.test(folded.slice(sentenceStart(folded, index), index));
}

// ---------------------------------------------------------------------------------------------
// Rule: prompt_leak
// ---------------------------------------------------------------------------------------------

const LEAK_DISCLOSURES = [
  re(
    String.raw`\bmy\s+(?:(?:full|complete|exact|entire|system|initial|original|hidden|secret|internal|base|core|current|standing|actual|real)\s+){0,2}(?:prompt|instructions|guidelines|directives|rules|programming|configuration|lessons|system message|orders)\s+(?:say|says|said|state|states|are|is|tell|tells|told|include|includes|read|reads|were|was|contain|contains|go|goes|specify|specifies|require|requires|instruct|forbid|forbids)\b`,
  ),
  re(
    String.raw`\bhere\s+(?:is|are)\s+(?:my\s+(?:(?:full|complete|exact|entire|system|initial|original|hidden|secret|internal)\s+){0,2}(?:prompt|instructions|guidelines|directives|rules|system message|configuration|lessons|notes)|the\s+(?:(?:full|complete|exact|entire)\s+)?(?:system prompt|system message|system instructions|hidden instructions|original instructions|initial instructions|internal notes|lessons|instructions i was given|rules i follow))\b`,
  ),
  re(
    String.raw`\b(?:i\s+(?:was|am|have been|had been|have|got)\s+(?:been\s+)?|i\s+)(?:told|instructed|programmed|configured|prompted|ordered|directed|briefed)\s+(?:to|not to|never|always|that)\b`,
  ),
  re(
    String.raw`\b(?:according to|as per|per|based on|following|in line with)\s+(?:my\s+(?:(?:system|internal|hidden|original)\s+)?(?:instructions|guidelines|prompt|system prompt|rules|programming|lessons|internal notes|notes)|the\s+(?:system prompt|internal notes|lessons|hidden instructions|system instructions))\b`,
  ),
  re(
    String.raw`\b(?:the|my)\s+(?:system prompt|system message|hidden instructions|internal notes?|lessons)\s+(?:say|says|state|states|reads?|contains?|includes?|is|are|tells? me)\b`,
  ),
  re(String.raw`\b(?:begin|start|end)\s+of\s+(?:the\s+)?(?:system\s+)?(?:prompt|instructions)\b`),
  re(String.raw`(?:^|\n)\s*(?:\[?system\]?|<\|?system\|?>|###\s*system)\s*:`),
  re(String.raw`<<\s*sys\s*>>|\[inst\]|<\|im_start\|>`),
  // French, German, Spanish.
  re(
    String.raw`\b(?:voici|ce sont)\s+(?:mes|les)\s+(?:instructions|consignes|regles|directives)\b|\bmes\s+(?:instructions|consignes|regles)\s+(?:sont|disent|indiquent|stipulent|precisent)\b|\bon m'?a (?:dit|demande|ordonne|indique) de\b`,
  ),
  re(
    String.raw`\bhier\s+(?:sind|ist)\s+(?:meine|die)\s+(?:anweisungen|systemanweisungen|regeln|instruktionen|system-?prompt)\b|\bmeine\s+(?:anweisungen|regeln|instruktionen)\s+(?:sind|lauten|sagen)\b|\bmir wurde (?:gesagt|aufgetragen|befohlen|angewiesen)\b`,
  ),
  re(
    String.raw`\b(?:estas|aqui)\s+(?:son|estan|tienes)\s+(?:mis|las)\s+(?:instrucciones|reglas|directrices)\b|\bmis\s+instrucciones\s+(?:son|dicen|indican)\b|\bme (?:dijeron|indicaron|ordenaron|programaron) que\b`,
  ),
];

/** Mentions that are harmless in a refusal ("I can't share my system prompt"). */
const LEAK_MENTIONS = [
  re(
    String.raw`\b(?:my|the|your|this)\s+(?:system prompt|system message|system instructions|hidden instructions|initial instructions|original instructions|developer instructions|secret instructions|internal instructions|internal notes?|prompt instructions)\b|\b(?:mon|le) prompt(?: systeme)?\b|\bsystem-?prompt\b`,
  ),
];

function checkPromptLeak(text: string, context: SafetyContext): string | null {
  const views = viewsOf(text);
  const prepared = prepare(context);
  for (const reading of [views.folded, ...views.deleet, views.rot13, ...views.decoded]) {
    const words = tokenize(reading).map((t) => t.text);
    for (let i = 0; i + SECRET_RUN <= words.length; i++) {
      const gram = words.slice(i, i + SECRET_RUN).join(' ');
      if (prepared.secretRuns.has(gram))
        return `repeats the assistant's instructions: ${quote(gram)}`;
    }
    const line = ` ${words.join(' ')} `;
    const segment = prepared.secretSegments.find((s) => line.includes(` ${s} `));
    if (segment) return `repeats the assistant's instructions: ${quote(segment)}`;
  }
  const disclosed = findPhrase(LEAK_DISCLOSURES, views, prepared);
  if (disclosed) return `talks about its instructions: ${disclosed}`;
  const mentioned = findPhrase(LEAK_MENTIONS, views, prepared, {
    excuse: (folded, match) =>
      /\b(?:not|never|unable|no)\b[^.!?\n]*$/.test(
        folded.slice(sentenceStart(folded, match.index), match.index),
      ),
  });
  return mentioned ? `talks about its instructions: ${mentioned}` : null;
}

// ---------------------------------------------------------------------------------------------
// Rule: role_override
// ---------------------------------------------------------------------------------------------

const ROLE_OVERRIDES = [
  re(
    String.raw`\bdan mode\b|\b(?:developer|god|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|evil|opposite|sudo|admin|dan)\s+mode\s+(?:is\s+)?(?:now\s+)?(?:enabled|activated|engaged|unlocked|on|active)\b|\b(?:entering|entered|now in|switching to|switched to|activating)\s+(?:developer|god|jailbreak|unrestricted|unfiltered|dan|admin)\s+mode\b`,
  ),
  re(String.raw`\bjailbr(?:eak|oken|eaking)\b`),
  re(
    String.raw`\b(?:ignoring|disregarding|overriding|bypassing|forgetting|dropping|ignore|disregard|override|bypass|forget|drop)\s+(?:all\s+)?(?:of\s+)?(?:my|the|your|these|those|any|all)?\s*(?:previous|prior|earlier|above|original|initial|old|system|safety|standard|usual|default|current)?\s*(?:instructions|rules|guidelines|restrictions|prompt|programming|directives|policies|filters|guardrails|safeguards)\b`,
  ),
  re(
    String.raw`\bi\s+(?:am|have been)\s+(?:now\s+)?(?:free|freed|released|liberated|unshackled)\s+(?:from|of)\b|\b(?:i have|there are)\s+no\s+(?:rules|restrictions|limits|limitations|guidelines|filters|guardrails)\b|\bwithout\s+(?:my|any)\s+(?:rules|guidelines|filters|guardrails|programming|censorship)\b`,
  ),
  re(
    String.raw`\b(?:my|all|the ai'?s?|safety|content)\s+(?:rules|filters|guardrails|restrictions|guidelines|safeguards)\s+(?:have been|are|were)\s+(?:now\s+)?(?:lifted|removed|disabled|turned off|deactivated|bypassed|suspended|gone)\b`,
  ),
  re(
    String.raw`\b(?:new|updated)\s+(?:instructions|rules|system prompt|directives|persona)\s+(?:accepted|acknowledged|received|applied|loaded|activated)\b|\binstructions?\s+(?:accepted|acknowledged|overridden)\b`,
  ),
  re(
    String.raw`\bstay(?:ing)?\s+in\s+character\b|\b(?:in|playing)\s+(?:the\s+)?(?:role|character|persona)\s+of\b|\bi\s+am\s+no\s+longer\s+(?:bound|restricted|limited|an?\s+(?:assistant|ai))\b`,
  ),
  re(
    String.raw`\b(?:sure|ok|okay|understood|alright|of course|done)\W+i\s+(?:will|can|shall)\s+(?:now\s+)?(?:ignore|disregard|forget|bypass|override)\b`,
  ),
  re(
    String.raw`\b(?:ignor\w*|oubli\w*|ignorier\w*|vergess\w*|olvid\w*)\s+(?:toutes\s+|alle\s+|todas\s+)?(?:mes|les|vos|meine|die|ihre|mis|las|sus|tus)\s+(?:\w+\s+)?(?:instructions|consignes|regles|anweisungen|regeln|instrucciones|reglas)\b`,
  ),
];

/** The uppercase persona names jailbreaks use; "Dan" the customer is left alone. */
const PERSONA_NAMES =
  /(?:^|\n|\s)(?:DAN|STAN|DUDE)\s*:|\b(?:I am|I'm|as|As)\s+(?:DAN|STAN|DUDE)\b/u;

function checkRoleOverride(text: string, context: SafetyContext): string | null {
  const views = viewsOf(text);
  const persona = PERSONA_NAMES.exec(views.plain);
  if (persona) return `speaks as a jailbreak persona: ${quote(persona[0])}`;
  const found = findPhrase(ROLE_OVERRIDES, views, prepare(context), { allowQuotes: true });
  return found ? `claims its rules no longer apply: ${found}` : null;
}

// ---------------------------------------------------------------------------------------------
// Rule: foreign_personal_data
// ---------------------------------------------------------------------------------------------

interface Found {
  value: string;
  index: number;
}

function extractEmails(plain: string): Found[] {
  const found: Found[] = [];
  for (const m of plain.matchAll(
    /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}/gu,
  )) {
    found.push({ value: m[0].toLowerCase().replace(/^[._-]+/, ''), index: m.index });
  }
  const spelled =
    /(?<![\p{L}\p{N}._%+-])([\p{L}\p{N}._%+-]+)\s*(?:\[at\]|\(at\)|\{at\}|\s+at\s+)\s*((?:[\p{L}\p{N}-]+\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*)+\p{L}{2,})\b/giu;
  for (const m of plain.matchAll(spelled)) {
    const domain = m[2]!.replace(/\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*/giu, '.');
    found.push({ value: `${m[1]}@${domain}`.toLowerCase(), index: m.index });
  }
  return found;
}

function extractPhones(plain: string): Found[] {
  const found: Found[] = [];
  for (const m of plain.matchAll(
    /(?<![\p{L}\p{N}.,])(?:\+|00)?\d(?:[ .\-()/]{0,2}\d){7,15}(?![\p{L}\p{N}])/gu,
  )) {
    const raw = m[0].trim();
    const digits = raw.replace(/\D/g, '');
    if (digits.length < 8 || digits.length > 15) continue;
    if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(raw)) continue; // a date
    if (/^\d{1,2}[.:]\d{2}\s?-\s?\d{1,2}[.:]\d{2}$/.test(raw)) continue; // opening hours
    const before = plain.slice(Math.max(0, m.index - 2), m.index);
    const after = plain.slice(m.index + m[0].length, m.index + m[0].length + 5);
    if (/[$€£¥₹]/.test(before) || /^\s?(?:[$€£¥₹]|usd|eur|gbp)/i.test(after)) continue; // an amount
    found.push({ value: raw, index: m.index });
  }
  return found;
}

/** Digit runs of 8+ inside longer tokens (tracking numbers) count as phone-like numbers too. */
function longDigitRuns(plain: string): Found[] {
  return [...plain.matchAll(/\d{8,}/g)].map((m) => ({ value: m[0], index: m.index }));
}

function phoneTail(found: Found): string {
  return found.value.replace(/\D/g, '').slice(-8);
}

interface FoundIdentifier {
  key: string;
  raw: string;
  index: number;
}

const ID_KEYWORD = String.raw`(?:order|orders|commande|bestellung|pedido|tracking|invoice|facture|rechnung|factura|account|customer|client|kunden?|ticket|reference|ref|referenz|referencia|parcel|package|shipment|colis|paket|paquete|envio|envoi|sendung)`;

function extractIdentifiers(plain: string): FoundIdentifier[] {
  const found: FoundIdentifier[] = [];
  const add = (raw: string, index: number) => {
    const key = identifierKey(raw);
    if ((key.match(/\d/g)?.length ?? 0) >= 3) found.push({ key, raw, index });
  };
  for (const m of plain.matchAll(/#\s?([\p{L}\p{N}][\p{L}\p{N}-]*\d[\p{L}\p{N}-]*)/gu))
    add(m[1]!, m.index);
  const keyword = re(
    String.raw`\b${ID_KEYWORD}\s*(?:number|no\.?|nr\.?|n°|num(?:ber|ero|éro|mer)?|id|code|#)?\s*[:#]?\s*([A-Za-z]{0,5}-?\d[A-Za-z0-9-]{2,})`,
    'giu',
  );
  for (const m of plain.matchAll(keyword)) add(m[1]!, m.index);
  for (const m of plain.matchAll(/\b(?:[A-Z]{1,5}-\d{3,}[A-Z0-9]*|[A-Z]{2,5}\d{4,})\b/g))
    add(m[0], m.index);
  for (const m of plain.matchAll(/(?<![\p{L}\p{N}])[A-Za-z0-9]{8,}(?![\p{L}\p{N}])/gu)) {
    if (/[A-Za-z]/.test(m[0]) && (m[0].match(/\d/g)?.length ?? 0) >= 5) add(m[0], m.index);
  }
  return found;
}

function identifierKey(raw: string): string {
  return raw.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Every word-ish run of a text, as an identifier key: what grounding may name. */
function identifierWords(plain: string): string[] {
  return (plain.match(/[\p{L}\p{N}]+(?:[-_/.][\p{L}\p{N}]+)*/gu) ?? []).flatMap((w) => [
    identifierKey(w),
    ...w.split(/[-_/.]/).map(identifierKey),
  ]);
}

function checkForeignPersonalData(text: string, context: SafetyContext): string | null {
  const views = viewsOf(text);
  const prepared = prepare(context);
  for (const reading of [views.plain, ...views.decoded]) {
    const email = extractEmails(reading).find((e) => !prepared.emails.has(e.value));
    if (email)
      return `names an email address that is not the verified customer's: ${quote(email.value)}`;
    const phone = extractPhones(reading).find((p) => !prepared.phoneTails.has(phoneTail(p)));
    if (phone)
      return `names a phone number that is not the verified customer's: ${quote(phone.value)}`;
  }
  const id = extractIdentifiers(views.plain).find((i) => !prepared.identifiers.has(i.key));
  if (id) return `names an identifier that is not the verified customer's: ${quote(id.raw)}`;
  const digits = longDigitRuns(views.plain).find(
    (d) => !prepared.phoneTails.has(phoneTail(d)) && !prepared.identifiers.has(d.value),
  );
  if (digits) return `names a number that is not the verified customer's: ${quote(digits.value)}`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Rule: promised_compensation
// ---------------------------------------------------------------------------------------------

/** Words that may sit between "we" and the verb of a promise ("we would be happy to …"). */
const AUX = String.raw`(?:will|shall|would|could|can|may|might|am|are|is|have|has|had|be|been|going|to|happy|glad|pleased|able|want|like|love|also|gladly|happily|immediately|now|just|already|personally|definitely|certainly|absolutely|hereby|still|then|of|course|right|away|do|did|actually|really|sure|make|go|gone|went|ahead|and|today|instantly|quickly|fully|more|than)`;
const COMP_NOUN = String.raw`(?:refund|reimbursement|discount|credit|voucher|coupon|gift ?card|compensation|rebate|cashback|cash back|money back|store credit|promo(?:tional)? code|discount code|freebie|free(?! (?:of charge|returns?|shipping|delivery|exchanges?)\b)|goodwill gesture|gesture of goodwill|\d+(?:[.,]\d+)?\s?%\s?off)s?`;
/** A noun that only names the process: "a refund request" is not a refund. */
const NOT_A_GRANT = String.raw`(?!\s+(?:confirmation|request|requests|form|status|policy|policies|email|update|notification|process|reference|number|details|page|link|label|question|questions|team|department|options?|eligibility|terms|conditions|window|period|timeline|timeframe|amount owed)\b)`;
const OBJECT_WORDS = String.raw`(?:you|to you|for you|your|yours|a|an|the|this|that|some|one|another|extra|additional|full|partial|small|special|exclusive|one-time|one time|goodwill|complimentary|immediate|instant|total|whole|entire|100|off|of|on|order|purchase|account|next|back|in|[$€£¥]\s?\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s?(?:%|usd|eur|gbp|dollars?|euros?))`;
const DIRECT_VERB = String.raw`(?:refund(?:ed|ing)?|reimburs(?:e|ed|ing)|compensat(?:e|ed|ing)|credit(?:ed|ing)?(?=\s+(?:you|your|it|the|[$€£]|\d))|waiv(?:e|ed|ing)|pay(?:ing)?\s+you\s+back|paid\s+you\s+back|give\s+you\s+(?:your|the|all your)\s+money\s+back|cover(?:ed|ing)?\s+(?:the|your|all|any)?\s*(?:cost|costs|fee|fees|shipping|expenses?|difference))`;
const GENERIC_VERB = String.raw`(?:offer(?:ed|ing)?|giv(?:e|en|ing)|gave|send(?:ing)?|sent|issu(?:e|ed|ing)|appl(?:y|ied|ying)|add(?:ed|ing)?|grant(?:ed|ing)?|provid(?:e|ed|ing)|approv(?:e|ed|ing)|process(?:ed|ing)?|arrang(?:e|ed|ing)|extend(?:ed|ing)?|get|got|upgrad(?:e|ed|ing)|ship(?:ped|ping)?|replac(?:e|ed|ing)|promis(?:e|ed|ing)|guarantee(?:d)?|authori[sz](?:e|ed|ing)|throw(?:ing)?\s+in|put\s+through|honou?r(?:ed|ing)?|activat(?:e|ed|ing)|unlock(?:ed|ing)?)`;
const SUBJECT_I = String.raw`\bi`;
const SUBJECT_WE = String.raw`\b(?:we|our\s+(?:support\s+|customer\s+(?:service|care)\s+)?team|the\s+(?:support\s+)?team|our\s+company)`;
const FREE_TAIL = String.raw`[^.!?\n]{0,50}\b(?:free of charge|for free|at no (?:extra |additional )?(?:cost|charge)|on the house|on us|without charge)\b`;

const PROMISES_FIRST_PERSON = [
  re(String.raw`${SUBJECT_I}\s+(?:${AUX}\s+){0,5}${DIRECT_VERB}\b`),
  re(
    String.raw`${SUBJECT_I}\s+(?:${AUX}\s+){0,5}${GENERIC_VERB}\s+(?:${OBJECT_WORDS}\s+){0,5}${COMP_NOUN}\b${NOT_A_GRANT}`,
  ),
  re(String.raw`${SUBJECT_I}\s+(?:${AUX}\s+){0,5}${GENERIC_VERB}\b${FREE_TAIL}`),
];
const PROMISES_COMPANY = [
  re(String.raw`${SUBJECT_WE}\s+(?:${AUX}\s+){1,5}${DIRECT_VERB}\b`),
  re(String.raw`${SUBJECT_WE}\s+(?:refunded|reimbursed|compensated|credited|waived)\b`),
  re(
    String.raw`${SUBJECT_WE}\s+(?:${AUX}\s+){1,5}${GENERIC_VERB}\s+(?:${OBJECT_WORDS}\s+){0,5}${COMP_NOUN}\b${NOT_A_GRANT}`,
  ),
  re(String.raw`${SUBJECT_WE}\s+(?:${AUX}\s+){1,5}${GENERIC_VERB}\b${FREE_TAIL}`),
];
const PROMISES_TO_YOU = [
  re(
    String.raw`\byou\s+(?:(?:will|shall|would|are|going|to|now|also|then|automatically|immediately|definitely|certainly|get to|can|qualify|be|still|soon)\s+){1,4}(?:get|receive|be given|be sent|be issued|be getting|obtain|qualify for|eligible for|entitled to|be eligible for|be entitled to|have)\s+(?:${OBJECT_WORDS}\s+){0,5}${COMP_NOUN}\b${NOT_A_GRANT}`,
  ),
  re(
    String.raw`\byou\s+(?:(?:will|shall|are|going|to|now|also|then|automatically|immediately|definitely|certainly|be|fully|soon)\s+){1,4}(?:refunded|reimbursed|compensated|credited)\b`,
  ),
  re(
    String.raw`\byou\s+(?:qualify|are eligible|are entitled)\s+(?:for|to)\s+(?:${OBJECT_WORDS}\s+){0,5}${COMP_NOUN}\b${NOT_A_GRANT}`,
  ),
];
const PROMISES_DONE = [
  re(
    String.raw`\b(?:(?:your|the|a|an)\s+)?(?:(?:full|partial)\s+)?(?:refund|reimbursement|discount|credit|voucher|coupon|gift card|compensation|promo code|store credit|goodwill gesture)(?:\s+of\s+\S+)?\s+(?:(?:has|have)\s+(?:now\s+|already\s+|just\s+)?been|was|were|is\s+(?:now\s+)?(?=approved|on its way))\s+(?:issued|approved|applied|added|granted|credited|arranged|authori[sz]ed|initiated|confirmed|processed|completed|sent|paid|on its way)\b`,
  ),
  re(
    String.raw`\byour\s+(?:account|card|wallet|balance|order)\s+(?:has|have|will|is)\s+(?:now\s+|already\s+|just\s+)?(?:been|be)\s+(?:credited|refunded|discounted)\b`,
  ),
  re(
    String.raw`\b(?:fee|fees|charge|charges|shipping cost|shipping costs|delivery charge|restocking fee)\s+(?:has|have|will|is|are)\s+(?:now\s+|already\s+|just\s+)?(?:been|be)\s+waived\b`,
  ),
  re(
    String.raw`\b(?:use|enter|apply|redeem|here is|here are|try)\s+(?:the\s+|this\s+|your\s+|my\s+)?(?:exclusive\s+|special\s+|personal\s+)?(?:discount|promo|promotional|voucher|coupon|reduction|gift)\s*(?:code)?\s*:?\s*["']?[a-z0-9-]{4,}`,
  ),
  re(
    String.raw`\b(?:use|enter|apply|redeem|here is)\s+(?:the\s+)?code\s*:?\s*["']?(?=[a-z-]*\d)[a-z0-9-]{4,}`,
  ),
];
const PROMISES_ELSEWHERE = [
  // French
  re(
    String.raw`\b(?:je|nous)\s+(?:(?:vous|te|allons|vais|pouvons|peux|pourrons|pourrai|avons|ai|sommes|suis|tenons a|souhaitons|voulons)\s+){0,3}(?:rembours\w*|dedommag\w*|indemnis\w*)\b`,
  ),
  re(
    String.raw`\b(?:je|nous)\s+(?:(?:vous|te|allons|vais|pouvons|peux|pourrons|pourrai|avons|ai)\s+){0,3}(?:offr\w*|offert|accord\w*|appliqu\w*|envoy\w*|credit\w*)\s+(?:(?:un|une|le|la|les|votre|vos|d'un|d'une|de|des|\d+\s?%|\d+\s?€|€\s?\d+)\s+){0,3}(?:remboursement|reduction|remise|avoir|bon d'achat|bon de reduction|geste commercial|code promo|dedommagement|indemnisation|\d+\s?%|gratuit\w*)`,
  ),
  re(
    String.raw`\bvous\s+(?:serez|allez etre|etes)\s+(?:(?:integralement|entierement|totalement|bien)\s+)?(?:rembourse|dedommage|indemnise)e?s?\b|\bvous\s+(?:recevrez|allez recevoir|obtiendrez|aurez|beneficierez d'?)\s+(?:(?:un|une|le|la|votre)\s+)?(?:remboursement|reduction|remise|avoir|bon|geste commercial|dedommagement|\d+\s?%)`,
  ),
  // German (ü → u, ä → a after folding)
  re(
    String.raw`\b(?:ich|wir)\s+(?:(?:werde|werden|kann|konnen|mochte|mochten|habe|haben|will|wollen|gerne)\s+){0,2}(?:ihnen|dir|euch)\s+(?:(?:\S+)\s+){0,3}?(?:erstatten|ruckerstatten|zuruckerstatten|erstattet|gutschreiben|gutgeschrieben|entschadigen|entschadigt|schenken|einen rabatt|einen gutschein|eine gutschrift|eine entschadigung)\b`,
  ),
  re(
    String.raw`\b(?:ich|wir)\s+(?:erstatte|erstatten|ruckerstatten|entschadige|entschadigen|vergute|verguten)\s+(?:ihnen|dir|euch)\b`,
  ),
  re(
    String.raw`\b(?:ich|wir)\s+(?:gebe|geben|gewahre|gewahren|schenke|schenken|schicke|schicken|sende|senden|schreibe|schreiben)\s+(?:ihnen|dir|euch)\s+(?:(?:einen|eine|ein|den|die|das|\d+\s?%)\s+){0,3}(?:rabatt|gutschein|gutschrift|erstattung|nachlass|entschadigung|\d+\s?%|kostenlos\w*|gratis)`,
  ),
  re(
    String.raw`\b(?:ich|wir)\s+(?:(?:werde|werden|kann|konnen|mochte|mochten|habe|haben)\s+){1,2}(?:ihr geld|den (?:vollen |gesamten )?betrag|den kaufpreis)\s+(?:\S+\s+){0,2}(?:erstatten|zuruckerstatten|zuruckzahlen)\b`,
  ),
  re(
    String.raw`\b(?:sie|du)\s+(?:erhalten|erhaltst|bekommen|bekommst|werden|wirst)\s+(?:(?:von uns|sofort|naturlich|selbstverstandlich|eine|einen|die|den|volle|vollstandige|\d+\s?%)\s+){0,3}(?:erstattung|ruckerstattung|gutschrift|rabatt|gutschein|entschadigung|\d+\s?%|ihr geld zuruck)`,
  ),
  // Spanish
  re(
    String.raw`\b(?:le|te|les)\s+(?:reembolsaremos|reembolsare|reembolsamos|reembolsaran|compensaremos|compensare|devolveremos (?:el|su|tu) dinero|devolvere (?:el|su|tu) dinero)\b`,
  ),
  re(
    String.raw`\b(?:le|te|les)\s+(?:daremos|damos|dare|ofrecemos|ofreceremos|ofrezco|regalaremos|regalamos|aplicaremos|aplicamos|enviaremos|haremos)\s+(?:(?:un|una|el|la|su|tu|\d+\s?%)\s+){0,3}(?:reembolso|descuento|cupon|credito|compensacion|vale|\d+\s?%|gratis|regalo)`,
  ),
  re(
    String.raw`\b(?:voy a|vamos a|podemos|puedo|podremos)\s+(?:reembolsarle|reembolsarte|reembolsarles|compensarle|compensarte|devolverle el dinero|devolverte el dinero)\b|\b(?:recibira|recibiras|obtendra|obtendras|tendra|tendras)\s+(?:(?:un|una|el|su|tu)\s+)?(?:reembolso|descuento|cupon|credito|compensacion|vale|\d+\s?%)`,
  ),
];

/** A refund described as the returns process ("once we receive your return, …"), in any language. */
const RETURN_CONDITION =
  /\b(?:once|when|after|as soon as|une fois|des que|lorsque|apres|sobald|nachdem|wenn|una vez|cuando|en cuanto|tras)\b[^.!?\n]{0,50}\b(?:return|returned|item|items|parcel|package|retour|colis|article|produit|rucksendung|ruckgabe|paket|artikel|ware|devolucion|paquete|articulo|producto)/;

function checkPromisedCompensation(text: string, context: SafetyContext): string | null {
  const views = viewsOf(text);
  const prepared = prepare(context);
  const conditional = (folded: string, match: RegExpExecArray) =>
    prepared.mentionsRefunds &&
    RETURN_CONDITION.test(sentenceAround(folded, match.index)) &&
    !/[$€£¥%]|\d/.test(match[0]);
  const found =
    findPhrase(PROMISES_FIRST_PERSON, views, prepared, {
      allowQuotes: true,
      excuse: (f, m) => hedged(f, m.index),
    }) ??
    findPhrase([...PROMISES_COMPANY, ...PROMISES_ELSEWHERE], views, prepared, {
      allowQuotes: true,
      excuse: (f, m) =>
        hedged(f, m.index) || conditional(f, m) || statedInCustomerContext(m[0], prepared),
    }) ??
    findPhrase(PROMISES_TO_YOU, views, prepared, {
      allowQuotes: true,
      quotedFrom:
        /\b(?:get|receive|obtain|qualify|eligible|entitled|have|refunded|reimbursed|compensated|credited)\b/,
      excuse: (f, m) => hedged(f, m.index) || conditional(f, m),
    }) ??
    findPhrase(PROMISES_DONE, views, prepared, {
      allowQuotes: true,
      excuse: (f, m) =>
        hedged(f, m.index) ||
        codeIsPublished(m[0], prepared) ||
        statedInCustomerContext(m[0], prepared),
    });
  return found ? `promises compensation: ${found}` : null;
}

/**
 * A refund or credit already made, as the verified customer's own data records it ("your
 * refund of £32.45 was issued"): a fact, not a promise. Only past events qualify.
 */
function statedInCustomerContext(fragment: string, prepared: PreparedContext): boolean {
  if (
    !/\b(?:been|was|were)\b|\b(?:refunded|credited|reimbursed|compensated|waived|issued)\b/.test(
      fragment,
    )
  )
    return false;
  if (/\b(?:will|shall|can|could|would|going)\b/.test(fragment)) return false;
  const stem = /refund|credit|reimburs|compensat|waive|voucher|discount/.exec(fragment)?.[0];
  const done =
    /\b(?:issued|approved|applied|added|granted|credited|arranged|authori[sz]ed|initiated|confirmed|processed|completed|sent|paid|refunded|reimbursed|compensated|waived)\b/.exec(
      fragment,
    )?.[0];
  if (!stem || !done) return false;
  const ids = orderRefsIn(fragment);
  return prepared.orderLines.some(
    (line) =>
      line.folded.includes(stem) &&
      line.folded.includes(done) &&
      ids.every((id) => line.ids.has(id)),
  );
}

/** A promo code the knowledge base publishes may be repeated. */
function codeIsPublished(fragment: string, prepared: PreparedContext): boolean {
  if (!/\bcode\b|coupon|voucher|promo/.test(fragment)) return false;
  const code = /([a-z0-9-]{4,})$/.exec(fragment)?.[1];
  return (
    code !== undefined &&
    new RegExp(`(?<![\\p{L}\\p{N}])${code}(?![\\p{L}\\p{N}])`, 'u').test(prepared.groundingFolded)
  );
}

// ---------------------------------------------------------------------------------------------
// Rule: legal_commitment
// ---------------------------------------------------------------------------------------------

const LAWS = String.raw`(?:the\s+)?(?:gdpr|uk gdpr|rgpd|dsgvo|ccpa|cpra|lopd|data protection act|consumer rights act|consumer (?:protection |rights )?(?:law|laws|act|regulations?|directive|code)|eu (?:law|directive|regulation)|european (?:union )?law|(?:[a-z]+\s+)?law|article\s+\d+\w*(?:\s+(?:of\s+)?(?:the\s+)?(?:gdpr|rgpd|dsgvo))?|section\s+\d+\w*|(?:civil|commercial|consumer) code)`;

const LEGAL = [
  re(
    String.raw`\b(?:we|i|the company|our company|[a-z]+ (?:ltd|inc|gmbh|sas|sarl|sl|llc))\s+(?:(?:hereby|fully|formally|officially|do|will|would|can|must|therefore|also|readily)\s+){0,2}(?:accept|admit|acknowledge|assume|take|bear)s?\s+(?:(?:full|all|complete|total|the|legal|any|sole|our|entire)\s+){0,3}(?:liability|responsibility|fault|blame|legal responsibility)\b`,
  ),
  re(
    String.raw`\b(?:we are|i am|the company is)\s+(?:(?:fully|legally|entirely|clearly|solely)\s+)*(?:liable|at fault|responsible for (?:the|any|all|your) (?:damage|damages|loss|losses|injury|injuries|harm))\b`,
  ),
  re(
    String.raw`\blegally binding\b|\bbinding (?:agreement|contract|commitment|promise|offer|obligation)\b|\b(?:this|our) (?:chat|conversation|message|reply|answer|statement|email) (?:is|constitutes|serves as|counts as|is considered) (?:a |an |our )?(?:legal|binding|formal|written|official) (?:agreement|contract|commitment|guarantee|promise|confirmation)\b|\bconsider this (?:a |an |my |our )?(?:written |formal |official |legal )?(?:guarantee|contract|commitment|legal confirmation)\b`,
  ),
  re(
    String.raw`\blegally\s+(?:obliged|obligated|required|responsible|liable|entitled|speaking)\b|\bas a (?:legal|lawyer|matter of law)\b|\bmy legal (?:advice|opinion)\b|\bhere is (?:some |my )?legal advice\b`,
  ),
  re(
    String.raw`\b(?:you\s+(?:(?:should|could|can|may|might|must|need to|ought to|have every right to|want to|may want to|might want to|would be (?:within your rights|right) to)\s+)+|i\s+(?:would\s+)?(?:strongly\s+)?(?:recommend|suggest|advise|encourage)(?:\s+(?:that\s+)?you)?(?:\s+to)?\s+|i advise you to\s+|my advice is to\s+|feel free to\s+|go ahead and\s+|do not hesitate to\s+|(?:it is\s+)?best to\s+|consider\s+)(?:(?:definitely|seriously|simply|just|also|immediately)\s+)?(?:sue|suing|take (?:legal action|(?:us|them|the \w+|this|it|the matter) to court)|taking (?:legal action|(?:us|them) to court)|file (?:a )?(?:lawsuit|legal claim|claim in (?:the )?small claims(?: court)?|small claims claim|chargeback|complaint with (?:the )?(?:regulator|ombudsman|authorities|court|police))|initiate (?:a )?chargeback|open a chargeback|dispute the (?:charge|payment) with your bank|report (?:us|them) to (?:the )?(?:police|authorities|regulator)|press charges|get a lawyer involved)\b`,
  ),
  re(
    String.raw`\b(?:under|according to|per|pursuant to|in accordance with|in line with|as per)\s+${LAWS}\b[^.!?\n]{0,100}?\byou\s+(?:(?:are|have|can|may|will|would|could|must|also|legally)\s+){1,2}(?:be\s+)?(?:legally\s+)?(?:entitled|owed|eligible|able to (?:claim|demand|sue|get|obtain|recover)|the right|a right|a legal right|the legal right|claim|demand|sue|recover)\b`,
  ),
  re(
    String.raw`\byou\s+(?:are|have|would be)\s+(?:legally|statutorily)\s+(?:entitled|owed|eligible)\b|\byou\s+have\s+(?:a|the)\s+(?:legal|statutory)\s+right\b|\byou\s+(?:are|would be)\s+entitled\s+(?:to\s+[^.!?\n]{0,60}\s+)?(?:under|by)\s+${LAWS}\b|\byour\s+(?:legal|statutory)\s+rights?\s+(?:entitle|mean|give|allow|guarantee)|\bby law,?\s+(?:you|we)\s+(?:are|have|must|owe)\b`,
  ),
  re(
    String.raw`\b(?:i|we)\s+(?:(?:can|will|do|hereby|personally|fully|absolutely|also|100%|100 %)\s+){0,3}(?:guarantee|warrant|certify|give you my word|swear)\b|\b(?:is|are|it is)\s+(?:100%\s+|fully\s+|absolutely\s+)?guaranteed\b`,
  ),
  // French, German, Spanish
  re(
    String.raw`\bjuridiquement contraignant|\b(?:nous|je)\s+(?:(?:reconnaissons|acceptons|assumons|reconnais|accepte|assume)\s+)(?:l'?entiere\s+|toute la\s+|notre\s+|la\s+|pleine\s+)*responsabilite\b|\bje vous (?:le )?garantis\b|\bnous (?:vous )?garantissons\b|\bvous devriez (?:porter plainte|nous poursuivre|saisir (?:le tribunal|la justice)|engager des poursuites)`,
  ),
  re(
    String.raw`\brechtsverbindlich|\brechtlich bindend|\bwir (?:ubernehmen|akzeptieren|erkennen) (?:die |volle |jede |die volle )?(?:haftung|verantwortung)\b|\bich garantiere\b|\bwir garantieren\b|\bsie sollten (?:uns )?(?:verklagen|klagen|rechtliche schritte)`,
  ),
  re(
    String.raw`\blegalmente vinculante|\b(?:aceptamos|asumimos|reconocemos) (?:toda |la |nuestra |plena |total )*responsabilidad\b|\b(?:le|te) garantizo\b|\bgarantizamos\b|\bdeberia (?:demandar(?:nos)?|denunciar(?:nos)?|ir a juicio)`,
  ),
];

function checkLegalCommitment(text: string, context: SafetyContext): string | null {
  const found = findPhrase(LEGAL, viewsOf(text), prepare(context), { allowQuotes: true });
  return found ? `makes a legal commitment or gives legal advice: ${found}` : null;
}

// ---------------------------------------------------------------------------------------------
// Rule: ungrounded_fact
// ---------------------------------------------------------------------------------------------

const CURRENCIES: Array<[RegExp, string]> = [
  [/^(?:us\$|ca\$|a\$|au\$|nz\$|\$|usd|cad|aud|nzd|dollars?)$/, 'DOLLAR'],
  [/^(?:€|eur|euros?)$/, 'EUR'],
  [/^(?:£|gbp)$/, 'GBP'],
  [/^(?:¥|jpy|yen)$/, 'JPY'],
  [/^(?:chf|francs?)$/, 'CHF'],
  [/^(?:₹|inr|rupees?)$/, 'INR'],
];
const NUMBER = String.raw`\d{1,3}(?:[ ,.']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const AMOUNT_BEFORE = re(
  String.raw`(?<![\p{L}\p{N}])(us\$|ca\$|a\$|au\$|nz\$|\$|€|£|¥|₹|usd|eur|gbp|chf|cad|aud|nzd|jpy|inr)\s?(${NUMBER})(?![\p{N}])`,
  'giu',
);
const AMOUNT_AFTER = re(
  String.raw`(?<![\p{L}\p{N}.,])(${NUMBER})\s?(\$|€|£|¥|₹|usd|eur|gbp|chf|cad|aud|nzd|jpy|inr|dollars?|euros?|francs?|yen|rupees?)(?![\p{L}])`,
  'giu',
);

/** The values a written number may mean ("1.000" is a thousand in Germany and one elsewhere). */
function numberValues(raw: string): number[] {
  const text = raw.replace(/\s/g, ' ');
  if (/^\d+$/.test(text)) return [Number(text)];
  const last = Math.max(
    text.lastIndexOf('.'),
    text.lastIndexOf(','),
    text.lastIndexOf(' '),
    text.lastIndexOf("'"),
  );
  const head = text.slice(0, last).replace(/[^\d]/g, '');
  const tail = text.slice(last + 1);
  const separator = text[last]!;
  const values = [];
  if (tail.length === 3) values.push(Number(head + tail));
  if (tail.length <= 3 && (separator === '.' || separator === ','))
    values.push(Number(`${head}.${tail}`));
  return values;
}

function currencyOf(raw: string): string {
  const lower = raw.toLowerCase();
  return CURRENCIES.find(([pattern]) => pattern.test(lower))?.[1] ?? lower;
}

interface FoundFact {
  raw: string;
  index: number;
  keys: string[];
}

function extractAmounts(folded: string): FoundFact[] {
  const found: FoundFact[] = [];
  for (const m of folded.matchAll(AMOUNT_BEFORE)) {
    const currency = currencyOf(m[1]!);
    found.push({
      raw: m[0],
      index: m.index,
      keys: numberValues(m[2]!).map((v) => `${currency}:${Math.round(v * 100)}`),
    });
  }
  for (const m of folded.matchAll(AMOUNT_AFTER)) {
    if (found.some((f) => m.index >= f.index && m.index < f.index + f.raw.length)) continue;
    const currency = currencyOf(m[2]!);
    found.push({
      raw: m[0],
      index: m.index,
      keys: numberValues(m[1]!).map((v) => `${currency}:${Math.round(v * 100)}`),
    });
  }
  return found;
}

const PERCENT =
  /(?<![\p{L}\p{N}.,])(\d+(?:[.,]\d+)?)\s?(?:%|٪|percent\b|per cent\b|pour ?cent\b|prozent\b|por ciento\b)/gu;
/** A percentage matters where money does: discounts, fees, refunds. */
const COMMERCIAL =
  /\b(?:off|discount|refund|reimburs|rebate|fee|fees|charge|price|prices|cost|costs|credit|voucher|coupon|promo|sale|sales|tax|vat|interest|commission|compensation|cashback|deposit|surcharge|restocking|saving|save|remise|reduction|rabais|rembours|frais|prix|rabatt|erstattung|nachlass|gebuhr|preis|gutschein|descuento|reembolso|precio|cargo|tarifa|cupon|ahorr)|خصم|استرداد|سعر|رسوم/u;

function extractPercents(folded: string): Array<{ raw: string; index: number; value: number }> {
  return [...folded.matchAll(PERCENT)].map((m) => ({
    raw: m[0],
    index: m.index,
    value: Number(m[1]!.replace(',', '.')),
  }));
}

const NUMBER_WORDS: Record<string, number> = Object.fromEntries(
  (
    'two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10 eleven:11 twelve:12 ' +
    'fourteen:14 fifteen:15 twenty:20 thirty:30 sixty:60 ninety:90 deux:2 trois:3 quatre:4 ' +
    'cinq:5 sept:7 huit:8 neuf:9 dix:10 douze:12 quatorze:14 quinze:15 vingt:20 trente:30 ' +
    'soixante:60 zwei:2 drei:3 vier:4 funf:5 sechs:6 sieben:7 acht:8 neun:9 zehn:10 zwolf:12 ' +
    'vierzehn:14 funfzehn:15 zwanzig:20 dreissig:30 dreißig:30 sechzig:60 neunzig:90 dos:2 ' +
    'tres:3 cuatro:4 cinco:5 seis:6 siete:7 ocho:8 nueve:9 diez:10 doce:12 catorce:14 ' +
    'quince:15 veinte:20 treinta:30 sesenta:60 noventa:90'
  )
    .split(' ')
    .map((entry) => entry.split(':'))
    .map(([word, value]) => [word!, Number(value)]),
);
const UNITS: Array<[string, RegExp, number]> = [
  ['min', /^(?:minutes?|mins?|minuten|minutos?|دقيقة|دقائق)$/u, 1],
  ['min', /^(?:hours?|hrs?|heures?|stunden?|horas?|ساعة|ساعات)$/u, 60],
  ['min', /^(?:days?|jours?|tagen?|tage|werktagen?|werktage|dias?|يوم|يوما|ايام)$/u, 1440],
  ['min', /^(?:weeks?|semaines?|wochen?|semanas?|اسبوع|اسبوعا|اسابيع)$/u, 10080],
  ['mo', /^(?:months?|mois|monaten?|monate|meses|mes|شهر|شهرا|اشهر)$/u, 1],
  ['mo', /^(?:years?|yrs?|ans?|annees?|jahren?|jahre|anos?|سنة|سنوات|عام|اعوام)$/u, 12],
];
const NUMBER_OR_WORD = String.raw`\d+(?:[.,]\d+)?|${Object.keys(NUMBER_WORDS).join('|')}`;
const UNIT_WORDS = String.raw`minutes?|mins?|minuten|minutos?|hours?|hrs?|heures?|stunden?|horas?|days?|jours?|tagen?|werktagen?|dias?|weeks?|semaines?|wochen?|semanas?|months?|mois|monaten?|meses|mes|years?|yrs?|ans|annees?|jahren?|anos?|دقيقة|دقائق|ساعة|ساعات|يوما|يوم|ايام|اسبوعا|اسبوع|اسابيع|شهرا|شهر|اشهر|سنة|سنوات|عام|اعوام`;
const DURATION = re(
  String.raw`(?<![\p{L}\p{N}.,])(${NUMBER_OR_WORD})(?:\s?(?:-|to|or|and|a|bis|y|o|et|und|oder|ou|ou a|et)\s?(${NUMBER_OR_WORD}))?\s?-?\s?(?:(?:business|working|calendar|full|consecutive|more|extra|further)\s)?(${UNIT_WORDS})(?![\p{L}])`,
  'giu',
);

function extractDurations(folded: string): FoundFact[] {
  const found: FoundFact[] = [];
  for (const m of folded.matchAll(DURATION)) {
    const unit = UNITS.find(([, pattern]) => pattern.test(m[3]!));
    if (!unit) continue;
    const numbers = [m[1]!, m[2]]
      .filter((n): n is string => n !== undefined)
      .map((n) => NUMBER_WORDS[n] ?? Number(n.replace(',', '.')));
    found.push({
      raw: m[0],
      index: m.index,
      keys: numbers.map((n) => `${unit[0]}:${n * unit[2]}`),
    });
  }
  return found;
}

type StatusClass =
  | 'shipped'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'cancelled'
  | 'refunded'
  | 'processing'
  | 'delayed'
  | 'returned'
  | 'arriving';

const STATUS_WORDS: Record<StatusClass, string> = {
  shipped: String.raw`shipped|dispatched|sent out|sent|posted|mailed|handed (?:over )?to the (?:carrier|courier)|expediee?s?|envoyee?s?|versandt|verschickt|versendet|abgeschickt|enviad[oa]s?|despachad[oa]s?|تم شحن|شحن`,
  in_transit: String.raw`on its way|on the way|in transit|en route|en chemin|en transit|en cours d'acheminement|unterwegs|en camino|en transito`,
  out_for_delivery: String.raw`out for delivery|en cours de livraison|in (?:der )?zustellung|en reparto`,
  delivered: String.raw`delivered|arrived|livree?s?|arrivee?s?|zugestellt|geliefert|angekommen|entregad[oa]s?|llegad[oa]|تم التسليم|تم توصيل`,
  cancelled: String.raw`cancell?ed|annulee?s?|storniert|cancelad[oa]s?`,
  refunded: String.raw`refunded|reimbursed|remboursee?s?|erstattet|zuruckerstattet|reembolsad[oa]s?`,
  processing: String.raw`processing|being processed|being prepared|being packed|packed|confirmed|approved|received|ready to ship|en preparation|en cours de preparation|in bearbeitung|bearbeitet|en proceso|preparando|confirmad[oa]`,
  delayed: String.raw`delayed|late|lost|stuck|held at customs|retardee?s?|en retard|perdue?s?|verspatet|verloren|retrasad[oa]s?|perdid[oa]s?`,
  returned: String.raw`returned|retournee?s?|zuruckgesendet|devuelt[oa]s?`,
  arriving: String.raw`(?:will|should|is going to|is expected to|is scheduled to|is due to)\s+(?:arrive|be delivered|reach you|get to you)\s+(?:tomorrow|today|tonight|this (?:afternoon|evening|week)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|the end of (?:the )?(?:day|week)))`,
};
const STATUS_PATTERNS = Object.entries(STATUS_WORDS).map(
  ([status, words]) =>
    [status as StatusClass, re(String.raw`(?<![\p{L}])(?:${words})(?![\p{L}])`)] as const,
);

const STATUS_SUBJECT = String.raw`(?:\b(?:your|votre|vos|ihre?|deine?|su|sus|tu|tus)\s+(?:(?:recent|last|latest|new|dernier|derniere|letzte|ultimo)\s+)?(?:order|package|parcel|shipment|delivery|item|items|purchase|refund|return|replacement|commande|colis|livraison|remboursement|retour|bestellung|paket|sendung|lieferung|ruckerstattung|erstattung|rucksendung|pedido|paquete|envio|reembolso|devolucion)s?|\b(?:order|commande|bestellung|pedido)\s*(?:number|no\.?|nr\.?|n°|#)?\s*:?\s*#?[a-z]{0,4}-?\d[a-z0-9-]{2,}|#[a-z0-9-]*\d{3,}[a-z0-9-]*|طلبك|شحنتك)`;
const STATUS_AUX = String.raw`(?:has|have|had|was|were|is|are|got|will|should|did|been|be|already|now|just|successfully|finally|currently|still|today|yesterday|a|ete|est|sont|deja|bien|hier|aujourd'hui|wurde|wird|ist|hat|sind|bereits|schon|gestern|heute|ha|han|sido|fue|esta|estan|ya|ayer|hoy|qui|que|which|that|not|been)`;
const STATUS_CLAIM = re(
  String.raw`(?:${STATUS_SUBJECT}|\bit)(?:\s+(?:#?[a-z0-9-]*\d[a-z0-9-]*|\([^)]{0,40}\)))?\s+(?:${STATUS_AUX}\s+){0,4}(?:${Object.values(STATUS_WORDS).join('|')})(?![\p{L}])`,
  'giu',
);
const CONDITION_BEFORE =
  /(?<![\p{L}])(?:once|when|whenever|after|as soon as|if|whether|until|before|unless|in case|lorsque|quand|des que|si|une fois que?|sobald|wenn|ob|nachdem|falls|cuando|una vez que?|en cuanto|tan pronto como|hasta que|عندما|بمجرد|إذا|اذا)(?![\p{L}])[^.!?\n]*$/u;
/** Sympathy for what the visitor reported restates it; it does not claim it. */
const EMPATHY_BEFORE =
  /\b(?:sorry|unfortunate|to hear|desole|desolee|navre|leid|bedauerlich|siento|lamento)\b[^.!?\n]*$/;
const RELATIVE_DAYS =
  /\b(?:yesterday|today|tonight|tomorrow|this (?:morning|afternoon|evening)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|hier|aujourd'hui|demain|gestern|heute|morgen|ayer|hoy|manana)\b/g;

function orderRefsIn(folded: string): string[] {
  const refs =
    folded.match(
      re(
        String.raw`#\s?[a-z0-9-]*\d[a-z0-9-]*|\b(?:order|commande|bestellung|pedido)\s*(?:number|no\.?|nr\.?|n°|#)?\s*:?\s*#?[a-z]{0,4}-?\d[a-z0-9-]{2,}`,
        'giu',
      ),
    ) ?? [];
  return refs.map((ref) =>
    identifierKey(
      ref.replace(/^(?:order|commande|bestellung|pedido)\s*(?:number|no\.?|nr\.?|n°)?/i, ''),
    ),
  );
}

function statusesIn(folded: string): Set<StatusClass> {
  return new Set(
    STATUS_PATTERNS.filter(([, pattern]) => pattern.test(folded)).map(([status]) => status),
  );
}

function checkUngroundedFact(text: string, context: SafetyContext): string | null {
  const { folded } = viewsOf(text);
  const prepared = prepare(context);

  const amount = extractAmounts(folded).find((a) => !a.keys.some((k) => prepared.amounts.has(k)));
  if (amount)
    return `states a price or amount that is not in the knowledge base or customer context: ${quote(amount.raw)}`;

  const percent = extractPercents(folded).find(
    (p) => !prepared.percents.has(p.value) && COMMERCIAL.test(sentenceAround(folded, p.index)),
  );
  if (percent)
    return `states a percentage that is not in the knowledge base or customer context: ${quote(percent.raw)}`;

  const duration = extractDurations(folded).find(
    (d) => !d.keys.every((k) => prepared.durations.has(k)),
  );
  if (duration)
    return `states a time limit that is not in the knowledge base or customer context: ${quote(duration.raw)}`;

  for (const claim of folded.matchAll(STATUS_CLAIM)) {
    const start = sentenceStart(folded, claim.index);
    const sentence = folded.slice(start, sentenceEnd(folded, claim.index));
    if (sentence.trim().endsWith('?')) continue; // a question is not a claim
    if (CONDITION_BEFORE.test(folded.slice(start, claim.index))) continue; // "once your order has shipped, …"
    if (EMPATHY_BEFORE.test(folded.slice(start, claim.index))) continue; // "sorry your parcel arrived damaged"
    if (
      claim[0].startsWith('it') &&
      !/\b(?:order|package|parcel|shipment|delivery|commande|colis|bestellung|paket|pedido|paquete)\b/.test(
        sentence,
      )
    )
      continue;
    if (!statusIsGrounded(claim[0], sentence, prepared)) {
      return `states an order status that is not in the customer context: ${quote(claim[0])}`;
    }
  }
  return null;
}

function statusIsGrounded(claim: string, sentence: string, prepared: PreparedContext): boolean {
  const statuses = statusesIn(claim);
  const ids = orderRefsIn(claim);
  const lines = prepared.orderLines.filter(
    (line) =>
      ids.every((id) => line.ids.has(id)) && [...statuses].some((s) => line.statuses.has(s)),
  );
  if (lines.length === 0) return false;
  // "yesterday", "tomorrow", "on Friday": only when the customer context says so itself.
  const days = sentence.match(RELATIVE_DAYS) ?? [];
  return days.every((day) => lines.some((line) => line.folded.includes(day)));
}

// ---------------------------------------------------------------------------------------------
// Rule: disallowed_link
// ---------------------------------------------------------------------------------------------

const COMMON_TLDS = new Set(
  (
    'com net org info biz io co uk de fr es it nl be ch at eu us ca au nz ie pl pt br mx ar cl jp cn kr in ru ua tr ' +
    'se no dk fi cz sk hu ro gr il za ae sa sg hk tw my th vn id ph xyz top site online shop store click link club app ' +
    'dev ai ly gg tk ml ga cf gq ws cc pw su icu live pro fun space website tech cloud page host email support help ' +
    'win bid loan work today world news life tv fm me to gov edu mil int example test onion'
  ).split(' '),
);

function normaliseDomain(domain: string): string {
  let host = domain
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^\*\./, '');
  host = host.split(/[/?#]/, 1)[0]!.replace(/:\d+$/, '').replace(/\.$/, '');
  try {
    host = new URL(`http://${host}`).hostname;
  } catch {
    return host;
  }
  return host.replace(/^www\./, '');
}

function hostIsAllowed(host: string, allowed: string[]): boolean {
  return allowed.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

function extractLinks(plain: string): Array<{ raw: string; host: string }> {
  const links: Array<{ raw: string; host: string }> = [];
  let rest = plain;
  const schemed = /\b(?:https?|ftp|wss?):\/\/[^\s<>"'()[\]{}]+|\bwww\.[^\s<>"'()[\]{}]+/giu;
  for (const m of plain.matchAll(schemed)) {
    const raw = m[0].replace(/[.,;:!?]+$/, '');
    let host: string;
    try {
      host = new URL(raw.startsWith('www.') ? `http://${raw}` : raw).hostname
        .toLowerCase()
        .replace(/\.$/, '');
    } catch {
      host = raw
        .replace(/^[a-z]+:\/\//i, '')
        .split(/[/?#:@]/, 1)[0]!
        .toLowerCase();
    }
    links.push({ raw, host });
    rest = rest.replace(m[0], ' '.repeat(m[0].length));
  }
  for (const m of rest.matchAll(/\b(?:javascript|data|vbscript|file):(?=\S)[^\s]+/giu))
    links.push({ raw: m[0], host: m[0].split(':', 1)[0]!.toLowerCase() });
  const bare =
    /(?<![\p{L}\p{N}@.\-/_])((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(\p{L}{2,24}))(?::\d{2,5})?(\/[^\s<>"'()[\]{}]*)?/gu;
  for (const m of rest.matchAll(bare)) {
    const tld = m[2]!.toLowerCase();
    if (!COMMON_TLDS.has(tld) && !m[3] && !/^xn--/.test(tld)) continue; // "file.pdf", "Node.js"
    if (/^\p{Lu}/u.test(m[2]!) && !m[3] && !/^\p{Lu}+$/u.test(m[2]!)) continue; // "today.Please" is a missing space
    links.push({ raw: m[0].replace(/[.,;:!?]+$/, ''), host: normaliseDomain(m[1]!) });
  }
  return links;
}

function checkDisallowedLink(text: string, context: SafetyContext): string | null {
  const views = viewsOf(text);
  const allowed = prepare(context).linkDomains;
  for (const reading of [views.plain, ...views.decoded]) {
    const link = extractLinks(reading).find((l) => !hostIsAllowed(l.host, allowed));
    if (link) return `links to a site that is not allowed: ${quote(link.raw)}`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Rule: abusive_language
// ---------------------------------------------------------------------------------------------

/** Whole words only, so "class", "Scunthorpe", "therapist" and "cockpit" are left alone. */
const ABUSIVE_WORDS = (
  'fuck fucks fucked fucker fuckers fucking fuckin fuckface fuckwit motherfucker ' +
  'motherfuckers shit shits shitty shithead shitheads shithole bullshit bitch bitches bitchy ' +
  'bastard bastards asshole assholes arsehole arseholes cunt cunts dickhead dickheads prick ' +
  'pricks twat twats wanker wankers idiot idiots idiotic moron morons moronic imbecile ' +
  'imbeciles retard retards retarded dumbass dumbasses jackass douchebag douchebags scumbag ' +
  'scumbags slut sluts whore whores fag fags faggot faggots nigger niggers nigga niggas spic ' +
  'spics kike kikes chink chinks tranny trannies crap crappy stfu gtfo connard connards ' +
  'connasse salope salopes putain merde encule encules abruti abrutie abrutis arschloch ' +
  'arschlocher scheisse scheiße wichser fotze hurensohn vollidiot drecksau gilipollas ' +
  'pendejo pendeja cabron mierda idiota idiotas imbecil puta joder estupido estupida'
).split(' ');
const ABUSIVE = [
  re(String.raw`(?<![\p{L}\p{N}])(?:${ABUSIVE_WORDS.join('|')})(?![\p{L}\p{N}])`),
  re(
    String.raw`(?<![\p{L}\p{N}])(?:piss off|screw you|shut up|go to hell|go fuck|eat shit|get lost|go away loser)(?![\p{L}\p{N}])`,
  ),
  re(
    String.raw`\byou(?:\s+are|\s+r)?\s+(?:(?:so|such|an?|really|completely|totally|utterly|very|just|being|the most)\s+){0,3}(?:stupid|dumb|useless|pathetic|worthless|ignorant|clueless|incompetent|brainless|loser|losers|fool|clown|pig|trash|garbage|ugly|fat|disgusting|waste of (?:space|time))\b`,
  ),
  re(
    String.raw`\bvous etes\s+(?:(?:un|une|vraiment|completement|tellement|si)\s+){0,2}(?:idiot|idiote|stupide|nul|nulle|incompetente?|debile|bete)\b|\bdu bist\s+(?:(?:ein|eine|so|wirklich|total)\s+){0,2}(?:idiot|dumm|blod|bloed|nutzlos|versager)\b|\b(?:eres|es usted)\s+(?:(?:un|una|muy|tan)\s+){0,2}(?:idiota|estupid[oa]|inutil|tont[oa]|imbecil)\b`,
  ),
  re(
    String.raw`\bf[*#@!_.]{1,3}(?:c?k|ck)(?:ing|er|ed)?\b|\bs[*#]?h[*#!]t\b|\bb[*#!]tch\b|\ba[*#]{2}hole\b|\bc[*#]nt\b`,
  ),
];

function checkAbusiveLanguage(text: string, context: SafetyContext): string | null {
  const views = viewsOf(text);
  const readings = [views.folded, ...views.deleet];
  for (const reading of readings) {
    for (const pattern of ABUSIVE) {
      const m = globalOf(pattern).exec(reading);
      if (
        m &&
        !(
          reading === views.folded &&
          isQuoted(views, m.index, m.index + m[0].length, prepare(context))
        )
      ) {
        return `uses abusive language: ${quote(m[0])}`;
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The rule set
// ---------------------------------------------------------------------------------------------

/**
 * Every rule an AI reply passes, in the order they are asked: the first that fires names the
 * verdict. The most serious harms (leaks, other people's data) come first so an operator
 * reading a suppressed reply sees the worst thing it did.
 */
export const safetyRules: readonly SafetyRule[] = Object.freeze([
  {
    name: 'prompt_leak',
    description:
      'Repeats the system prompt, a lesson or an internal note (any 8 consecutive words, or a whole distinctive line, after normalising case, spacing, homoglyphs, leetspeak, ROT13 and base64), or talks about its instructions ("my instructions say", "I was told to never", "here is my system prompt").',
    check: checkPromptLeak,
  },
  {
    name: 'role_override',
    description:
      'Claims its rules no longer apply or speaks as a jailbreak persona ("DAN mode enabled", "ignoring my previous instructions", "I have no restrictions").',
    check: checkRoleOverride,
  },
  {
    name: 'foreign_personal_data',
    description:
      "Names an email address, phone number or order/tracking/account identifier that is neither the verified customer's own (allowedContacts) nor in the grounding texts.",
    check: checkForeignPersonalData,
  },
  {
    name: 'promised_compensation',
    description:
      'Promises or announces a refund, discount, credit, voucher, compensation, free item or waived fee ("I will refund you", "you\'ll get 20% off", "we\'ll credit your account", "your refund has been approved"). A verbatim quotation of the knowledge base, a hedge ("I can\'t promise a refund") and the returns process in the company\'s voice ("once we receive your return, we\'ll refund you") pass.',
    check: checkPromisedCompensation,
  },
  {
    name: 'legal_commitment',
    description:
      'Makes a legal commitment or gives legal advice: accepting liability, "legally binding", "I guarantee", advising to sue or charge back, telling the visitor what the law entitles them to. Verbatim quotations of the knowledge base pass.',
    check: checkLegalCommitment,
  },
  {
    name: 'ungrounded_fact',
    description:
      'States a price or amount, a discount/fee percentage, a time limit ("within 30 days") or an order status ("your order shipped yesterday") that the grounding texts do not contain. Amounts compare by value and currency ("$25" = "25 USD" = "$25.00"), durations by length ("2 weeks" = "14 days").',
    check: checkUngroundedFact,
  },
  {
    name: 'disallowed_link',
    description:
      'Links (http/https/www or a bare domain such as "evil.example.com/x") to a host that is not one of allowedLinkDomains or their subdomains.',
    check: checkDisallowedLink,
  },
  {
    name: 'abusive_language',
    description:
      'Insults, profanity or slurs (whole words, in English, French, German and Spanish, also in leetspeak), or an insult aimed at the visitor ("you are useless").',
    check: checkAbusiveLanguage,
  },
] satisfies SafetyRule[]);

/** Every rule that fires on the text, in rule order: for operators and tests. */
export function findViolations(text: string, context: SafetyContext): SafetyViolation[] {
  if (!text.trim()) return [];
  const violations: SafetyViolation[] = [];
  for (const rule of safetyRules) {
    const reason = rule.check(text, context);
    if (reason !== null) violations.push({ rule: rule.name, reason });
  }
  return violations;
}

function verdictOf(text: string, context: SafetyContext): SafetyVerdict {
  if (!text.trim()) return { safe: true };
  for (const rule of safetyRules) {
    const reason = rule.check(text, context);
    if (reason !== null) return { safe: false, rule: rule.name, reason };
  }
  return { safe: true };
}

/**
 * Checks one streamed sentence before any of it leaves the server. To also catch a secret
 * spread over several short sentences before the last of them is released, check
 * `checkReply(releasedSoFar + sentence)` as well.
 */
export function checkSentence(sentence: string, context: SafetyContext): SafetyVerdict {
  return verdictOf(sentence, context);
}

/** Checks the finished reply as a whole: catches what only shows across sentences. */
export function checkReply(reply: string, context: SafetyContext): SafetyVerdict {
  return verdictOf(reply, context);
}
