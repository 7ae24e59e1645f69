import { compileLexicon, Reading, type Concept, type Occurrence } from './lexicon.js';
import { LEXICONS } from './lexicons/index.js';
import { candidateLanguages, guessLanguage } from './language.js';
import { LANGUAGES, normalise, type Language, type Token } from './normalise.js';
import { ESCALATION_RULES, type EscalationRule, type RuleReason } from './rules.js';

export interface EscalationTrigger {
  reason: RuleReason;
  /** The rule's description, for the console. */
  description: string;
  /** The id of the rule that fired. */
  rule: string;
  /** The message's language; when it cannot be told, the language whose words fired the rule. */
  language: Language;
}

export interface DetectOptions {
  /** The chat session's locale ("fr-BE"): breaks ties when the message itself does not tell. */
  locale?: string | null;
}

/** A message read once: its tokens, guessed language and the readings to try. */
export interface ReadMessage {
  tokens: Token[];
  language: Language | null;
  /** Readings in the languages the message is likely written in, most likely first. */
  readings: Reading[];
  /** Every language, most likely first. */
  ranked: Language[];
}

export function readMessage(text: string, options: DetectOptions = {}): ReadMessage {
  const tokens = normalise(text);
  const guess = guessLanguage(text, tokens, options.locale);
  const readings = candidateLanguages(guess).map((language) => readIn(tokens, language));
  const ranked = [...LANGUAGES].sort((a, b) => guess.scores[b] - guess.scores[a]);
  return { tokens, language: guess.language, readings, ranked };
}

export function readIn(tokens: Token[], language: Language): Reading {
  return new Reading(tokens, compileLexicon(LEXICONS[language]));
}

/**
 * The first rule (in priority order) the visitor's message triggers, in any of the
 * languages it may be written in, or null. Works without a model: these are the cases in
 * which the assistant hands over to a person without asking one.
 */
export function detectEscalation(
  text: string,
  options: DetectOptions = {},
): EscalationTrigger | null {
  const message = readMessage(text, options);
  if (!message.tokens.length) return null;
  for (const rule of ESCALATION_RULES) {
    for (const reading of message.readings) {
      if (ruleFires(rule, reading)) {
        return {
          reason: rule.reason,
          description: rule.description,
          rule: rule.id,
          language: message.language ?? reading.language,
        };
      }
    }
  }
  return null;
}

const MAX_COMBINATIONS = 20_000;

export function ruleFires(rule: EscalationRule, reading: Reading): boolean {
  if (rule.unless?.some((concept) => reading.occurrences(concept).length > 0)) return false;
  const negatable = new Set<Concept>(rule.negatable ?? []);
  const groups: Occurrence[][] = rule.all.map((group) =>
    group.flatMap((concept) => reading.occurrences(concept, negatable.has(concept))),
  );
  if (groups.some((group) => group.length === 0)) return false;
  if (rule.wholeMessageWith) {
    const covered = new Array<boolean>(reading.tokens.length).fill(false);
    const extra = rule.wholeMessageWith.flatMap((concept) => reading.occurrences(concept));
    for (const hit of [...groups.flat(), ...extra])
      for (let i = hit.start; i < hit.end; i++) covered[i] = true;
    return covered.every(Boolean);
  }
  if (rule.within === undefined) return true;
  return withinSpan(
    groups,
    rule.within,
    rule.sameSentence ? reading.tokens : null,
    rule.inOrder ?? false,
  );
}

/**
 * Whether one occurrence from each group fits in `within` words (of one sentence, given the
 * tokens; in the groups' order, when asked).
 */
function withinSpan(
  groups: Occurrence[][],
  within: number,
  sentences: Token[] | null,
  inOrder: boolean,
): boolean {
  let tried = 0;
  const pick = (index: number, start: number, end: number): boolean => {
    if (index === groups.length)
      return !sentences || sentences[start]!.sentence === sentences[end - 1]!.sentence;
    for (const hit of groups[index]!) {
      if (++tried > MAX_COMBINATIONS) return false;
      if (inOrder && index > 0 && hit.start < end) continue;
      const s = Math.min(start, hit.start);
      const e = Math.max(end, hit.end);
      if (e - s <= within && pick(index + 1, s, e)) return true;
    }
    return false;
  };
  return pick(0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
}

/** What the console shows for a rule-made offer: the rule, what it recognises, the language. */
export interface RuleMatchDescription {
  id: string;
  /** Null when the rule has since been renamed or removed. */
  description: string | null;
  language: string | null;
  /** The language's English name ("French"), or the stored code when unknown. */
  languageName: string | null;
}

export function describeRuleMatch(id: string, language: string | null): RuleMatchDescription {
  const rule = ESCALATION_RULES.find((r) => r.id === id);
  const lexicon =
    language && (LANGUAGES as readonly string[]).includes(language)
      ? LEXICONS[language as Language]
      : null;
  return {
    id,
    description: rule?.description ?? null,
    language,
    languageName: lexicon?.name ?? language,
  };
}
