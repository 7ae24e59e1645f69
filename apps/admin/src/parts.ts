import { html, nothing } from 'lit';
import type { ChatQuality } from './api.js';
import { QUALITY_FLAG_LABELS, plural, qualityLevel } from './format.js';
import { navigate } from './router.js';

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

/** The search box that leads to the Search page (chats, tickets and customers at once). */
export function searchForm(query = '') {
  return html`<form role="search" aria-label="Chats, tickets and customers" action="/admin/search" method="get" class="search-form"
    @submit=${(event: SubmitEvent) => {
      event.preventDefault();
      const q = String(new FormData(event.target as HTMLFormElement).get('q') ?? '').trim();
      if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
    }}>
    <div class="field">
      <label for="search-q">Search chats, tickets and customers</label>
      <input id="search-q" name="q" type="search" .value=${query} minlength="2" maxlength="200" placeholder="A word, an email, a ticket number" />
    </div>
    <button type="submit" class="secondary">Search</button>
  </form>`;
}
