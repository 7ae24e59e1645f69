import { AMOUNT_TOKEN, fold, normalise, stem, type Language, type Token } from './normalise.js';

/**
 * The ideas the escalation rules are built from. Each language's lexicon lists, for each
 * concept, the words and phrases that express it; the rules combine concepts, so a new
 * phrasing needs a lexicon entry, never a new rule.
 */
export const CONCEPTS = [
  // People, and asking for them
  'HUMAN', // a human being: "human", "person", "Mensch"
  'HUMAN_STRONG', // unmistakably a person rather than the assistant: "real person", "live agent"
  'STAFF', // a role on the team: "agent", "representative", "manager", "customer service"
  'SOMEONE', // "someone", "quelqu'un", "jemand"
  'WISH', // wanting or asking: "I want", "I'd like", "get me", "can I have"
  'CONTACT', // reaching a person: "talk to", "speak with", "transfer me", "put me through"
  'ACT', // a person acting on the visitor's case: "look at", "call me back", "check my account"
  'BOT', // the assistant itself: "bot", "chatbot", "robot", "machine"
  'POLITE', // words that may surround a bare request: "please", "now"
  'LANGUAGE_NAME', // "Spanish", "français": "does your team speak Spanish?" asks for no one
  // Money
  'CHARGE', // money taken: "charged", "billed", "debited", "taken from my account"
  'CHARGE_NOUN', // "charge", "payment", "transaction", "direct debit"
  'MONEY', // "money", "amount", any written amount
  'INVOICE', // "invoice", "bill", "facture": disputed or wrong, a dispute; shown twice, not a charge
  'DUPLICATE', // "twice", "double", "two times"
  'NOT_MINE', // "never ordered", "didn't authorise", "don't recognise", "after I cancelled"
  'DISPUTE', // "dispute", "contest", "fraud", "scam"
  'CHARGEBACK', // "chargeback", "Rückbuchung": a dispute by itself
  'WRONG', // "wrong", "incorrect", "not right"
  'EXCESS', // "too much", "instead of", "more than": wrong only when said of a charge
  'OVERCHARGE', // "overcharged": a dispute by itself
  'ADVERTISED', // "the website said", "advertised", "listed": the price the visitor expected
  'BANK', // "my bank", "credit card company", "PayPal"
  'REVERSE', // "reverse", "block", "claim back", "stop the payment"
  'HYPOTHETICAL', // "will I be", "what happens if": a question about the future, not a dispute
  // Law
  'LAWYER', // "lawyer", "attorney", "avocat", "Anwalt"
  'ENGAGE', // "my", "our", "contact", "hire", "consult": the visitor's own lawyer
  'LEGAL_ACTION', // "sue", "lawsuit", "legal action", "take you to court"
  'LEGAL_DOC', // "subpoena", "court order", "warrant", "formal notice"
  'AUTHORITY', // "regulator", "police", "consumer protection", "the authority"
  'OFFICIAL_CONTACT', // "letter", "request", "investigation", "asked us for"
  'REPORT', // "report you to", "complain to", "file a complaint with"
  // Personal data
  'DP_LAW', // "GDPR", "RGPD", "DSGVO", "AVG", "LGPD", "CCPA"
  'DP_RIGHT', // "right to be forgotten", "subject access request", "withdraw my consent"
  'DP_AUTHORITY', // "ICO", "CNIL", "AEPD", "Garante", "Autoriteit Persoonsgegevens"
  'DELETE', // "delete", "erase", "supprimer", "löschen", "borrar"
  'PERSONAL_DATA', // "my data", "personal information", "everything you have on me"
  'ABOUT_ME', // "about me", "on me", "sur moi", "über mich"
  'LEAK', // "leaked", "breach", "fuite", "vazamento"
  'CONSENT', // "without my consent", "never consented", "stop using"
  'REQUEST', // "I request", "I demand", "je demande", "ich verlange"
  // Distress
  'DISTRESS', // "desperate", "in tears", "panicking", "I can't cope"
  'CRY', // a cry for help said on its own: "Help!", "Aiuto!", "Socorro!" (counts only as a whole clause)
  'URGENCY', // "urgent", "right now", "today", "tonight"
  'STAKES', // "lose my job", "stranded abroad", "my medication"
  'SEVERE', // talk of ending one's life: needs a person whatever else is said
] as const;
export type Concept = (typeof CONCEPTS)[number];

export interface SmallTalkLexicon {
  greeting: string[];
  thanks: string[];
  /** "that solved it", "it works now", "c'est réglé". */
  resolved: string[];
  goodbye: string[];
  /** "ok", "great", "perfect": small talk only alongside the others, or on its own as an acknowledgement. */
  ack: string[];
  /** Words that may fill a small-talk message without making it a question ("so much", "for your help"). */
  filler: string[];
}

export interface SmallTalkReplies {
  greeting: string;
  thanks: string;
  goodbye: string;
  thanksGoodbye: string;
}

/**
 * One language's words. An entry is a word or a phrase; each word of it matches by stem,
 * or exactly when written `=word`, or by prefix `word*`, suffix `*word` or infix `*word*`
 * (for compounds: "*mitarbeiter"). `#amount` stands for any money amount, and `~` for up
 * to two words of any kind ("nooit ~ afgesloten" finds "nooit heb afgesloten").
 */
export interface Lexicon {
  language: Language;
  /** The language's English name, for the console. */
  name: string;
  /** Frequent short words that tell the language apart. */
  stopwords: string[];
  /** Words that negate the next few words of their clause ("not", "ne", "nicht"). */
  negations: string[];
  /** Words after which a negation is a question, not a refusal ("why can't I…"). */
  negationOpeners: string[];
  /** Subjects that, right after a negation, make it a question ("can't I…", "don't you…"). */
  invertedSubjects: string[];
  /** "can", "peux", "kann": "I can't reach anyone" complains; only "I don't want…" refuses. */
  abilityWords: string[];
  /** Phrases that look like a trigger and are not ("human resources", "desperate for a"): their words match nothing. */
  exclusions: string[];
  concepts: Partial<Record<Concept, string[]>>;
  smallTalk: SmallTalkLexicon;
  replies: SmallTalkReplies;
}

type Part = { kind: 'stem' | 'exact' | 'prefix' | 'suffix' | 'infix' | 'gap'; value: string };

/** Words a `~` may skip. */
const GAP = 2;
interface Term {
  parts: Part[];
}

export interface CompiledLexicon {
  lexicon: Lexicon;
  stopwords: Set<string>;
  negations: Set<string>;
  negationOpeners: Set<string>;
  invertedSubjects: Set<string>;
  abilityWords: Set<string>;
  exclusions: Term[];
  concepts: Map<Concept, Term[]>;
  smallTalk: Record<keyof SmallTalkLexicon, Term[]>;
}

function compileTerm(entry: string, language: Language): Term {
  const parts: Part[] = [];
  for (const raw of entry.trim().split(/\s+/)) {
    if (raw === '~') {
      parts.push({ kind: 'gap', value: '' });
      continue;
    }
    if (raw === '#amount') {
      parts.push({ kind: 'exact', value: AMOUNT_TOKEN });
      continue;
    }
    const exact = raw.startsWith('=');
    const word = raw.replace(/^=/, '');
    const starts = word.startsWith('*');
    const ends = word.endsWith('*');
    const core = word.replace(/^\*|\*$/g, '');
    // A lexicon word goes through the same normalisation as a message (apostrophes, accents).
    const tokens = normalise(core).map((t) => t.text);
    if (tokens.length !== 1 && !(starts || ends || exact)) {
      // "quelqu'un" or "can't" become several tokens: match them in sequence.
      for (const token of tokens) parts.push({ kind: 'stem', value: stem(token, language) });
      continue;
    }
    const value = tokens.length === 1 ? tokens[0]! : fold(core).replace(/[^\p{L}\p{N}]/gu, '');
    if (starts && ends) parts.push({ kind: 'infix', value });
    else if (starts) parts.push({ kind: 'suffix', value });
    else if (ends) parts.push({ kind: 'prefix', value });
    else if (exact) parts.push({ kind: 'exact', value });
    else parts.push({ kind: 'stem', value: stem(value, language) });
  }
  return { parts };
}

const compiled = new Map<Language, CompiledLexicon>();

export function compileLexicon(lexicon: Lexicon): CompiledLexicon {
  const cached = compiled.get(lexicon.language);
  if (cached?.lexicon === lexicon) return cached;
  const terms = (entries: string[] = []) =>
    entries.map((entry) => compileTerm(entry, lexicon.language));
  const result: CompiledLexicon = {
    lexicon,
    stopwords: new Set(lexicon.stopwords.map(fold)),
    negations: new Set(lexicon.negations.map(fold)),
    negationOpeners: new Set(lexicon.negationOpeners.map(fold)),
    invertedSubjects: new Set(lexicon.invertedSubjects.map(fold)),
    abilityWords: new Set(lexicon.abilityWords.map(fold)),
    exclusions: terms(lexicon.exclusions),
    concepts: new Map(
      Object.entries(lexicon.concepts).map(([concept, entries]) => [
        concept as Concept,
        terms(entries),
      ]),
    ),
    smallTalk: {
      greeting: terms(lexicon.smallTalk.greeting),
      thanks: terms(lexicon.smallTalk.thanks),
      resolved: terms(lexicon.smallTalk.resolved),
      goodbye: terms(lexicon.smallTalk.goodbye),
      ack: terms(lexicon.smallTalk.ack),
      filler: terms(lexicon.smallTalk.filler),
    },
  };
  compiled.set(lexicon.language, result);
  return result;
}

/** A concept found in a message: tokens [start, end). */
export interface Occurrence {
  start: number;
  end: number;
}

function partMatches(part: Part, token: string, stemmed: string): boolean {
  switch (part.kind) {
    case 'stem':
      return stemmed === part.value || token === part.value;
    case 'exact':
      return token === part.value;
    case 'prefix':
      return token.startsWith(part.value);
    case 'suffix':
      return token.endsWith(part.value);
    case 'infix':
      return token.includes(part.value);
    case 'gap':
      return true;
  }
}

interface TermIndex {
  /** Terms by their first word (exact or stem). */
  byWord: Map<string, Term[]>;
  /** Terms starting with a prefix, suffix, infix or gap: tried everywhere. */
  others: Term[];
}

const indexes = new WeakMap<Term[], TermIndex>();

function indexOf(terms: Term[]): TermIndex {
  let index = indexes.get(terms);
  if (!index) {
    index = { byWord: new Map(), others: [] };
    for (const term of terms) {
      const first = term.parts[0]!;
      if (first.kind !== 'stem' && first.kind !== 'exact') {
        index.others.push(term);
        continue;
      }
      const list = index.byWord.get(first.value) ?? [];
      // A term found both by the token and by its stem must be tried once.
      if (!list.includes(term)) list.push(term);
      index.byWord.set(first.value, list);
    }
    indexes.set(terms, index);
  }
  return index;
}

/** A message read in one language: its tokens, their stems, and which tokens are excluded. */
export class Reading {
  readonly stems: string[];
  private readonly masked: boolean[];
  private readonly cache = new Map<Concept, Occurrence[]>();

  constructor(
    readonly tokens: Token[],
    readonly lexicon: CompiledLexicon,
  ) {
    this.stems = tokens.map((t) => stem(t.text, lexicon.lexicon.language));
    this.masked = tokens.map(() => false);
    for (const hit of this.find(lexicon.exclusions))
      for (let i = hit.start; i < hit.end; i++) this.masked[i] = true;
  }

  get language(): Language {
    return this.lexicon.lexicon.language;
  }

  /** Every place one of the terms matches, ignoring excluded words. */
  find(terms: Term[]): Occurrence[] {
    const { byWord, others } = indexOf(terms);
    const hits: Occurrence[] = [];
    for (let start = 0; start < this.tokens.length; start++) {
      // Only the terms whose first word can match here: the token itself, its stem, or a pattern.
      const text = this.tokens[start]!.text;
      const stemmed = this.stems[start]!;
      const candidates = [
        ...(byWord.get(text) ?? []),
        ...(stemmed !== text ? (byWord.get(stemmed) ?? []) : []),
        ...others,
      ];
      for (const term of candidates) {
        const end = this.matchFrom(term.parts, 0, start);
        if (end !== null) hits.push({ start, end });
      }
    }
    return hits;
  }

  /** Where the parts from `k` on end when they match from token `i`, or null. */
  private matchFrom(parts: Part[], k: number, i: number): number | null {
    if (k === parts.length) return i;
    const part = parts[k]!;
    if (part.kind === 'gap') {
      for (let skip = 0; skip <= GAP; skip++) {
        if (i + skip > this.tokens.length) break;
        const end = this.matchFrom(parts, k + 1, i + skip);
        if (end !== null) return end;
      }
      return null;
    }
    if (
      i >= this.tokens.length ||
      this.masked[i] ||
      !partMatches(part, this.tokens[i]!.text, this.stems[i]!)
    )
      return null;
    return this.matchFrom(parts, k + 1, i + 1);
  }

  /** Where the concept occurs; with `negatable`, occurrences a negation governs are left out. */
  occurrences(concept: Concept, negatable = false): Occurrence[] {
    let hits = this.cache.get(concept);
    if (!hits) {
      hits = this.find(this.lexicon.concepts.get(concept) ?? []);
      if (concept === 'CRY') hits = hits.filter((hit) => this.isWholeClause(hit));
      this.cache.set(concept, hits);
    }
    return negatable ? hits.filter((hit) => !this.negated(hit.start)) : hits;
  }

  private isWholeClause(hit: Occurrence): boolean {
    const { clause } = this.tokens[hit.start]!;
    return this.tokens[hit.start - 1]?.clause !== clause && this.tokens[hit.end]?.clause !== clause;
  }

  /**
   * "I don't want a human", "je ne veux pas…": a negation up to three words before, in the
   * same clause. Not when it asks or complains: "why can't I…", "can't I…", "I can't reach anyone".
   */
  private negated(index: number): boolean {
    const { clause } = this.tokens[index]!;
    const { negations, invertedSubjects, abilityWords, negationOpeners } = this.lexicon;
    for (let j = index - 1; j >= Math.max(0, index - 3); j--) {
      const token = this.tokens[j]!;
      if (token.clause !== clause) return false;
      if (!negations.has(token.text)) continue;
      if (invertedSubjects.has(this.tokens[j + 1]?.text ?? '')) return false;
      for (let k = Math.max(0, j - 2); k < index; k++)
        if (abilityWords.has(this.tokens[k]!.text)) return false;
      for (let k = j - 1; k >= Math.max(0, j - 5); k--) {
        const word = this.tokens[k]!;
        if (word.clause !== clause) break;
        const pair = k > 0 ? `${this.tokens[k - 1]!.text} ${word.text}` : '';
        if (negationOpeners.has(word.text) || negationOpeners.has(pair)) return false;
      }
      return true;
    }
    return false;
  }
}
