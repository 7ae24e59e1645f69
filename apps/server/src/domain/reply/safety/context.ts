import { extractEmails, extractIdentifiers, extractPhones, identifierWords, longDigitRuns, phoneTail } from './contacts.js';
import { extractAmounts, extractDurations, extractPercents, orderRefsIn, statusesIn, type StatusClass } from './facts.js';
import { normaliseDomain } from './links.js';
import { deleet, fold, LEET_I, toPlain, tokenize, type TextViews } from './text.js';
import type { SafetyContext } from './types.js';

/**
 * What a reply is checked against, read once per context rather than once per sentence:
 * the facts and word runs of the grounding texts, the contacts the visitor may see, the
 * secrets' distinctive runs and lines (less what the knowledge base also says), and the
 * allowed link domains.
 */

/** A run this long, found verbatim in the grounding texts, makes a phrase a quotation. */
const GROUNDED_RUN = 5;
/** A run this long, found verbatim in a secret, is a leak. */
export const SECRET_RUN = 8;

export interface PreparedContext {
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
  /** Where each run of GROUNDED_RUN words starts in `tokens`: finds longer runs without a scan. */
  runStarts: Map<string, number[]>;
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
  const runStarts = new Map<string, number[]>();
  for (let i = 0; i + GROUNDED_RUN <= tokens.length; i++) {
    const run = tokens.slice(i, i + GROUNDED_RUN).join(' ');
    const starts = runStarts.get(run);
    if (starts) starts.push(i);
    else runStarts.set(run, [i]);
  }
  return {
    folded,
    tokens,
    runs: [...runStarts.keys()],
    runStarts,
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

export function prepare(context: SafetyContext): PreparedContext {
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
  const inGrounding = groundingSequences(grounding);
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
    for (const run of facts.runs) if (!inGrounding(run)) prepared.secretRuns.add(run);
    for (const segment of facts.segments) {
      if (!inGrounding(segment)) prepared.secretSegments.push(segment);
    }
  }

  preparedCache.set(context, { inputs, prepared });
  return prepared;
}

/**
 * Whether a run of GROUNDED_RUN to SECRET_RUN words occurs, word for word, in the grounding
 * texts read as one sequence (each text's words, then the next text's; a text without words
 * breaks the sequence). Within one text the memoised run starts answer it; only the runs
 * that cross from one text into the next are built per reply, so the cost does not grow with
 * the length of the texts.
 */
function groundingSequences(grounding: GroundingFacts[]): (run: string) => boolean {
  const crossing = new Set<string>();
  for (let k = 1; k < grounding.length; k++) {
    // The words just before this text, back to the last text without words.
    const before: string[] = [];
    for (let j = k - 1; j >= 0 && before.length < SECRET_RUN - 1; j--) {
      const tokens = grounding[j]!.tokens;
      if (tokens.length === 0) break;
      before.unshift(...tokens.slice(-(SECRET_RUN - 1 - before.length)));
    }
    if (before.length === 0 || grounding[k]!.tokens.length === 0) continue;
    // And the words from this text on, across later texts while they have words.
    const after: string[] = [];
    for (let j = k; j < grounding.length && after.length < SECRET_RUN - 1; j++) {
      const tokens = grounding[j]!.tokens;
      if (tokens.length === 0) break;
      after.push(...tokens.slice(0, SECRET_RUN - 1 - after.length));
    }
    const words = [...before, ...after];
    const boundary = before.length;
    for (let length = GROUNDED_RUN; length <= SECRET_RUN; length++) {
      for (let start = Math.max(0, boundary - length + 1); start < boundary && start + length <= words.length; start++) {
        crossing.add(words.slice(start, start + length).join(' '));
      }
    }
  }
  return (run) => {
    if (crossing.has(run)) return true;
    const words = run.split(' ');
    const head = words.slice(0, GROUNDED_RUN).join(' ');
    for (const g of grounding) {
      for (const start of g.runStarts.get(head) ?? []) {
        let i = GROUNDED_RUN;
        while (i < words.length && g.tokens[start + i] === words[i]) i++;
        if (i === words.length) return true;
      }
    }
    return false;
  };
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
export function isQuoted(
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
