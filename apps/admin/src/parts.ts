import { html, nothing } from 'lit';
import type { ChatQuality } from './api.js';
import { QUALITY_FLAG_LABELS, plural, qualityLevel } from './format.js';

/*
 * Small pieces of markup several pages show the same way. Badges always say what they
 * mean in words; colour only repeats it.
 */

/** The composite quality badge: "Quality 82 %", or nothing before the chat is judged. */
export function qualityBadge(quality: ChatQuality | null) {
  if (!quality) return nothing;
  return html`<span class="badge quality-${qualityLevel(quality.score)}">Quality ${quality.score} %</span>`;
}

/** Hallucination and circular as badges; low quality is the score badge's colour and word. */
export function qualityFlagBadges(flags: readonly string[], options: { withReview?: boolean } = {}) {
  return flags
    .filter((flag) => flag === 'hallucination' || flag === 'circular' || (options.withReview && flag === 'in_review'))
    .map((flag) => html`<span class="badge flag">${QUALITY_FLAG_LABELS[flag] ?? flag}</span>`);
}

export function negativeBadge(count: number) {
  return count ? html`<span class="badge negative">${plural(count, 'negative rating')}</span>` : nothing;
}

export function verifiedBadge(email: string | null) {
  return email ? html`<span class="badge verified">Verified</span> <span>${email}</span>` : nothing;
}
