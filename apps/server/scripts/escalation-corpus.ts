// The labelled escalation corpus (test/fixtures/escalation-corpus) and how a detector is
// scored against it. Used by `npm run eval:escalation` and by the corpus test's floors.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EscalationReason } from '@ticket0/contracts';
import { detectEscalation } from '../src/domain/escalation/detect.js';
import { detectLanguage } from '../src/domain/escalation/language.js';
import { detectSmallTalk } from '../src/domain/escalation/small-talk.js';

export const CORPUS_LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl'] as const;
export type CorpusLanguage = (typeof CORPUS_LANGUAGES)[number];
/** `tuning`: rules were written against it. `held-out`: written apart, never tuned on. */
export const CORPUS_PARTS = ['tuning', 'held-out'] as const;
export type CorpusPart = (typeof CORPUS_PARTS)[number];

export const RULE_REASONS = [
  'human_requested',
  'financial_dispute',
  'legal_compliance',
  'data_privacy',
  'distress_urgent',
] as const;
export type RuleReason = (typeof RULE_REASONS)[number];
export type CorpusLabel = RuleReason | 'none' | 'small_talk';

export interface CorpusItem {
  id: string;
  text: string;
  label: CorpusLabel;
  /** A message that mentions a trigger topic (lawyers, refunds, data, people, urgency) but needs no human. */
  near?: boolean;
  language: CorpusLanguage;
  part: CorpusPart;
}

const CORPUS_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'fixtures',
  'escalation-corpus',
);
const LABELS = new Set<string>([...RULE_REASONS, 'none', 'small_talk']);

export function loadCorpus(part: CorpusPart): CorpusItem[] {
  const items: CorpusItem[] = [];
  const seen = new Set<string>();
  for (const file of readdirSync(join(CORPUS_DIR, part))
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const language = file.replace(/\.json$/, '') as CorpusLanguage;
    if (!CORPUS_LANGUAGES.includes(language))
      throw new Error(`Unknown corpus language file ${part}/${file}`);
    const raw = JSON.parse(readFileSync(join(CORPUS_DIR, part, file), 'utf8')) as Array<
      Omit<CorpusItem, 'language' | 'part'>
    >;
    for (const item of raw) {
      if (!LABELS.has(item.label)) throw new Error(`${item.id}: unknown label ${item.label}`);
      if (seen.has(item.id)) throw new Error(`${item.id}: duplicate id`);
      seen.add(item.id);
      items.push({ ...item, language, part });
    }
  }
  return items;
}

/** What a detector says about one visitor message, as the reply pipeline would act on it. */
export interface Verdict {
  /** The rule-made escalation offer's reason, or null. */
  reason: EscalationReason | null;
  /** Answered as small talk (only consulted when no rule fired, like the pipeline). */
  smallTalk: boolean;
  language?: string | null;
  rule?: string | null;
}

export type Detector = (text: string) => Verdict;

/** The rules as the reply pipeline applies them: a rule first, then small talk. */
export const pipelineDetector: Detector = (text) => {
  const trigger = detectEscalation(text);
  const smallTalk = trigger ? null : detectSmallTalk(text);
  return {
    reason: trigger?.reason ?? null,
    smallTalk: Boolean(smallTalk?.reply),
    rule: trigger?.rule ?? null,
    language: trigger?.language ?? smallTalk?.language ?? detectLanguage(text),
  };
};

export interface Scored {
  item: CorpusItem;
  verdict: Verdict;
  /** What the visitor gets: an offer with a reason, a small-talk reply, or an ordinary answer. */
  outcome: RuleReason | 'other_reason' | 'small_talk' | 'answer';
}

export function score(items: CorpusItem[], detect: Detector): Scored[] {
  return items.map((item) => {
    const verdict = detect(item.text);
    const outcome: Scored['outcome'] = verdict.reason
      ? (RULE_REASONS as readonly string[]).includes(verdict.reason)
        ? (verdict.reason as RuleReason)
        : 'other_reason'
      : verdict.smallTalk
        ? 'small_talk'
        : 'answer';
    return { item, verdict, outcome };
  });
}

export interface Figures {
  count: number;
  positives: number;
  precision: number;
  recall: number;
  f1: number;
  /** Precision and recall counting any offer on a message that needs a human as right. */
  anyPrecision: number;
  anyRecall: number;
  anyF1: number;
}

const isReason = (value: string): value is RuleReason =>
  (RULE_REASONS as readonly string[]).includes(value);
const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/**
 * Escalation figures over a group. A hit needs the right reason; an offer on a message that
 * needs none (small talk included) is a false positive. With `reason`, one-vs-rest for it.
 */
export function figures(scored: Scored[], reason?: RuleReason): Figures {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let anyTp = 0;
  let anyFp = 0;
  let anyFn = 0;
  let positives = 0;
  for (const { item, outcome } of scored) {
    const gold = isReason(item.label) ? item.label : null;
    const predicted = isReason(outcome) || outcome === 'other_reason' ? outcome : null;
    if (reason) {
      if (gold === reason) positives++;
      if (gold === reason && predicted === reason) tp++;
      else {
        if (predicted === reason) fp++;
        if (gold === reason) fn++;
      }
      continue;
    }
    if (gold) positives++;
    if (gold && predicted === gold) tp++;
    else {
      if (predicted) fp++;
      if (gold) fn++;
    }
    if (gold && predicted) anyTp++;
    if (!gold && predicted) anyFp++;
    if (gold && !predicted) anyFn++;
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const anyPrecision = ratio(anyTp, anyTp + anyFp);
  const anyRecall = ratio(anyTp, anyTp + anyFn);
  return {
    count: scored.length,
    positives,
    precision,
    recall,
    f1: f1(precision, recall),
    anyPrecision,
    anyRecall,
    anyF1: f1(anyPrecision, anyRecall),
  };
}

export type SmallTalkConfusion = Record<
  'small_talk' | 'none' | 'escalation',
  Record<'small_talk' | 'offer' | 'answer', number>
>;

/** Gold small talk / ordinary questions / escalations against what the visitor gets. */
export function smallTalkConfusion(scored: Scored[]): SmallTalkConfusion {
  const table: SmallTalkConfusion = {
    small_talk: { small_talk: 0, offer: 0, answer: 0 },
    none: { small_talk: 0, offer: 0, answer: 0 },
    escalation: { small_talk: 0, offer: 0, answer: 0 },
  };
  for (const { item, outcome } of scored) {
    const row =
      item.label === 'small_talk' ? 'small_talk' : item.label === 'none' ? 'none' : 'escalation';
    const column =
      outcome === 'small_talk' ? 'small_talk' : outcome === 'answer' ? 'answer' : 'offer';
    table[row][column]++;
  }
  return table;
}

/** The corpus groups reported: each language, English, the six others together, everything. */
export function groups(scored: Scored[]): Array<[string, Scored[]]> {
  return [
    ...CORPUS_LANGUAGES.map((language): [string, Scored[]] => [
      language,
      scored.filter((s) => s.item.language === language),
    ]),
    ['non-English', scored.filter((s) => s.item.language !== 'en')],
    ['all', scored],
  ];
}
