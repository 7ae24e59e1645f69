import type { EscalationReason } from '@ticket0/contracts';
import type { PassageHit } from '../knowledge/search.js';
import { fill, SERVER_TEXTS, textsFor } from '../../lib/i18n/index.js';

/**
 * What the visitor reads when the assistant offers a human instead of a reply, in English;
 * every language's wording is in lib/i18n. Every offer ends with the same question,
 * answered with "Yes, contact me" / "No thanks" in the widget.
 */
export const OFFER_TEXT: Record<EscalationReason, string> = SERVER_TEXTS.en.offer;

export const OFFER_QUESTION = SERVER_TEXTS.en.offerQuestion;

/** The offer for `reason` in the chat session's language. */
export function offerText(reason: EscalationReason, locale?: string | null): string {
  const t = textsFor(locale);
  return `${t.offer[reason]} ${t.offerQuestion}`;
}

const EXCERPT_CHARS = 400;

/** The no-model answer: the best article excerpt, labelled as such, and the offer. */
export function excerptOfferText(passage: Pick<PassageHit, 'title' | 'text'>, locale?: string | null): string {
  const excerpt = passage.text.replace(/\s+/g, ' ').trim();
  const clipped = excerpt.length > EXCERPT_CHARS ? `${excerpt.slice(0, EXCERPT_CHARS - 1)}…` : excerpt;
  const t = textsFor(locale);
  return `${t.offer.ai_unavailable} ${fill(t.excerptIntro, { title: passage.title })}\n\n${clipped}\n\n${t.offerQuestion}`;
}
