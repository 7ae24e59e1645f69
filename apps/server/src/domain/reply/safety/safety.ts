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

import { safetyRules } from './rules.js';
import type { SafetyContext, SafetyVerdict, SafetyViolation } from './types.js';

export { safetyRules } from './rules.js';
export type { SafetyContext, SafetyRule, SafetyRuleName, SafetyVerdict, SafetyViolation } from './types.js';

/** What the visitor reads instead of a reply that a rule held back. */
export const SAFE_FALLBACK_REPLY =
  "I'm not able to help with that here, but a member of our team can. Would you like me to pass this on?";

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
