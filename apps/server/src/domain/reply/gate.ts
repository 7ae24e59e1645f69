import type { ReplyContext } from './context.js';
import { prepare } from './safety/context.js';
import { checkReply, checkSentence, safetyRules } from './safety/safety.js';

export type Admission = { safe: true; text: string } | { safe: false; rule: string; reason: string };

/** The model cites excerpt n as `[n]`; the marker becomes a link under the reply instead. */
const CITATION_MARKER = /\s*\[(\d{1,2})\]/g;
const MAX_CITATIONS = 3;

/** Ordinary sentences, checked once per context before the model's first sentence arrives. */
const WARM_UP_SENTENCES = ['Thanks for your message, I can help with that.', 'You can find the details on our help page.'];

const promptLeak = safetyRules.find((rule) => rule.name === 'prompt_leak')!;

/**
 * The door each sentence of a reply passes before it reaches the visitor: citation markers
 * become citations, then the sentence must pass every safety rule — on its own, and (for
 * leaks spread over short sentences) together with what was already released.
 */
export class ReplyGate {
  private released = '';
  private readonly cited = new Set<number>();

  constructor(private readonly context: ReplyContext) {}

  /**
   * Reads the context the sentences are checked against (memoised per context). Costly the
   * first time a passage is seen, so it is done while the model writes, not on the first sentence.
   */
  prepare(): void {
    prepare(this.context.safety);
    // The rules' first run against a new context builds their own tables: done now too.
    for (const sample of WARM_UP_SENTENCES) checkSentence(sample, this.context.safety);
  }

  admit(sentence: string): Admission {
    const text = sentence.replace(CITATION_MARKER, (_, n: string) => {
      const passage = this.context.passages?.[Number(n) - 1];
      if (passage) this.cited.add(passage.articleId);
      return '';
    });
    const verdict = checkSentence(text, this.context.safety);
    if (!verdict.safe) return verdict;
    const leak = promptLeak.check(this.released + text, this.context.safety);
    if (leak) return { safe: false, rule: promptLeak.name, reason: leak };
    this.released += text;
    return { safe: true, text };
  }

  /** The final message, checked whole. */
  finish(reply: string): ReturnType<typeof checkReply> {
    return checkReply(reply, this.context.safety);
  }

  /**
   * The articles the reply rests on: those it cited by number, or else the passages it
   * visibly draws on (several shared distinctive words).
   */
  citations(reply: string): number[] {
    if (this.cited.size > 0) return [...this.cited].slice(0, MAX_CITATIONS);
    const passages = this.context.passages ?? [];
    if (!reply.trim() || passages.length === 0) return [];
    const words = distinctiveWords(reply);
    const ids: number[] = [];
    for (const passage of passages) {
      const shared = [...distinctiveWords(passage.text)].filter((word) => words.has(word)).length;
      if (shared >= 4 && !ids.includes(passage.articleId)) ids.push(passage.articleId);
    }
    return ids.slice(0, MAX_CITATIONS);
  }
}

function distinctiveWords(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/\p{L}{5,}/gu) ?? []).filter((word) => !COMMON.has(word)));
}

const COMMON = new Set(['about', 'which', 'there', 'their', 'would', 'could', 'should', 'these', 'those', 'other', 'where', 'please', 'thanks', 'order', 'happy', 'after', 'before', 'within']);
