import type { EscalationReason } from '@ticket0/contracts';
import type { PassageHit } from '../knowledge/search.js';

/**
 * What the visitor reads when the assistant offers a human instead of a reply. Every offer
 * ends with the same question, answered with "Yes, contact me" / "No thanks" in the widget.
 */
export const OFFER_TEXT: Record<EscalationReason, string> = {
  human_requested: 'Of course — I can pass this on to our support team.',
  ai_uncertain: "I'm not sure I can answer that correctly, and I'd rather not guess.",
  ai_unavailable: "I can't answer right now because our assistant is unavailable. Your message is saved.",
  financial_dispute: 'Payment disputes are handled by a person on our team.',
  legal_compliance: 'This needs someone from our team rather than an automated assistant.',
  data_privacy: 'Requests about your personal data are handled by a person on our team.',
  distress_urgent: "I'm sorry you're going through this. A person from our team should help you with it.",
  unsafe_output: "I'm not able to help with that here, but a member of our team can.",
};

export const OFFER_QUESTION = 'Would you like our support team to follow up with you by email?';

export function offerText(reason: EscalationReason): string {
  return `${OFFER_TEXT[reason]} ${OFFER_QUESTION}`;
}

const EXCERPT_CHARS = 400;

/** The no-model answer: the best article excerpt, labelled as such, and the offer. */
export function excerptOfferText(passage: Pick<PassageHit, 'title' | 'text'>): string {
  const excerpt = passage.text.replace(/\s+/g, ' ').trim();
  const clipped = excerpt.length > EXCERPT_CHARS ? `${excerpt.slice(0, EXCERPT_CHARS - 1)}…` : excerpt;
  return `${OFFER_TEXT.ai_unavailable} This excerpt from our help article “${passage.title}” may help:\n\n${clipped}\n\n${OFFER_QUESTION}`;
}
