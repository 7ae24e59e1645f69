import { isQuoted, type PreparedContext } from './context.js';
import { globalOf, quote, sentenceStart, type TextViews } from './text.js';

/** Phrase matching shared by several rules: every reading of the text, with the rule's excuses. */

export interface PhraseOptions {
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

export function findPhrase(
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

/** Words a sentence uses to report on a condition or a question rather than state a fact. */
const HEDGE_BEFORE =
  /\b(?:whether|see if|check if|ask if|ask them if|find out if|know if|decide if|wish|hope|hopefully|unsure if|not sure if|can not promise|can not guarantee|no guarantee)\b[^.!?\n]*$/;

export function hedged(folded: string, index: number): boolean {
  return HEDGE_BEFORE.test(folded.slice(sentenceStart(folded, index), index));
}
