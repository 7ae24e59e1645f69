import { html, nothing, type TemplateResult } from 'lit';
import type { OperatorMessage } from './api.js';
import { AUTHOR_LABELS, OFFER_STATUS_LABELS, RATING_REASON_LABELS, REASON_LABELS, safetyRuleLabel, when } from './format.js';

/*
 * A conversation as operators read it, wherever it shows (a chat, the chat inside its ticket):
 * each message with why it is what it is. Text stays text: bodies are bound as text nodes and
 * only http(s) addresses become links.
 */

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** `text` with its web addresses as links and reason codes in words. */
export function messageText(text: string): Array<string | TemplateResult> {
  const parts: Array<string | TemplateResult> = [];
  let at = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    parts.push(relabel(text.slice(at, match.index)));
    const url = new URL(match[0]);
    // The console's own pages open in place (see interceptLinks); others in a new tab.
    const own = url.origin === location.origin && url.pathname.startsWith('/admin/');
    parts.push(
      own
        ? html`<a href=${url.pathname + url.search}>${match[0]}</a>`
        : html`<a href=${url.href} target="_blank" rel="noopener noreferrer">${match[0]}</a>`,
    );
    at = match.index + match[0].length;
  }
  parts.push(relabel(text.slice(at)));
  return parts;
}

/** "(human_requested)" in a system note reads "(Asked for a human)". */
function relabel(text: string): string {
  return text.replace(/\(([a-z_]+)\)/g, (whole, code: string) => (REASON_LABELS[code] ? `(${REASON_LABELS[code]})` : whole));
}

/** The facts under an AI reply: the articles it cited, its confidence, the model and time it took. */
function replyFacts(message: OperatorMessage) {
  if (message.author !== 'ai') return nothing;
  const cited = message.citedArticles;
  return html`${cited.length
      ? html`<p class="kind-note">
          Cited:
          ${cited.map(
            (article, i) => html`${i ? ', ' : ''}<a href="/admin/knowledge/${article.id}">${article.title}</a>`,
          )}
        </p>`
      : message.kind === 'text'
        ? html`<p class="kind-note muted">No article cited.</p>`
        : nothing}${message.confidence !== null
      ? html`<p class="kind-note muted">Confidence ${message.confidence} %</p>`
      : nothing}`;
}

/** A thumbs down with the visitor's reason and words, where it happened. */
function rating(message: OperatorMessage) {
  if (message.rating === 'up') return html` <span class="badge verified">Rated up</span>`;
  if (message.rating !== 'down') return nothing;
  const reason = message.ratingReason ? (RATING_REASON_LABELS[message.ratingReason] ?? message.ratingReason) : null;
  return html` <span class="badge negative">Rated down${reason ? `: ${reason}` : ''}</span>`;
}

/** One message of a transcript; `extra` adds what the page lets operators do with it. */
export function transcriptEntry(message: OperatorMessage, extra: unknown = nothing) {
  const details = [
    message.interrupted ? 'interrupted' : null,
    message.model ? `${message.model}${message.latencyMs !== null ? `, ${(message.latencyMs / 1000).toFixed(1)} s` : ''}` : null,
  ].filter(Boolean);
  const reason = message.escalationReason ? (REASON_LABELS[message.escalationReason] ?? message.escalationReason) : null;
  return html`<li class="${message.author} ${message.kind}">
    <span class="who">${message.sentBy ?? AUTHOR_LABELS[message.author] ?? message.author}</span>
    <span class="muted"> · <time datetime=${message.createdAt.toISOString()}>${when(message.createdAt)}</time></span>
    ${details.length ? html`<span class="muted"> · ${details.join(' · ')}</span>` : nothing}
    ${rating(message)}
    ${message.delivery
      ? html` <span class="badge ${message.delivery}"
          >${message.delivery === 'sent' ? 'Mailed' : message.delivery === 'queued' ? 'In the outbox' : 'Mail failed'}</span
        >`
      : nothing}
    ${message.kind === 'suppressed'
      ? html`<p class="kind-note">
          <span class="held-label">Held back — not sent</span>
          (${message.safety?.rules.length ? heldBackRules(message.safety.rules) : 'rule unknown'})${message.safety?.note
            ? html`<br /><span class="muted">Why: ${message.safety.note}</span>`
            : nothing}
        </p>`
      : nothing}
    ${message.kind === 'escalation_offer'
      ? html`<p class="kind-note">
          <strong>Escalation offer</strong>${reason ? ` · reason: ${reason}` : ''} ·
          <span class="badge ${message.offerStatus === 'accepted' ? 'verified' : message.offerStatus === 'declined' ? '' : 'pending'}"
            >${OFFER_STATUS_LABELS[message.offerStatus ?? 'pending'] ?? message.offerStatus}</span
          >
          ${message.safety?.modelFailure ? html`<span class="muted"> · the model failed (${message.safety.modelFailure})</span>` : nothing}
          ${message.escalationRule
            ? html`<br /><span class="muted"
                  >Rule: <code>${message.escalationRule.id}</code>${message.escalationRule.description
                    ? ` — ${message.escalationRule.description}`
                    : ''}
                  · language: ${message.escalationRule.languageName ?? 'unknown'}</span
                >`
            : nothing}
        </p>`
      : nothing}
    ${message.kind === 'escalation_confirmation'
      ? html`<p class="kind-note"><strong>Escalation confirmed</strong>${reason ? ` · reason: ${reason}` : ''}</p>`
      : nothing}
    <div class="body">${messageText(message.body)}</div>
    ${message.rating === 'down' && message.ratingComment
      ? html`<blockquote aria-label="The visitor's comment">${message.ratingComment}</blockquote>`
      : nothing}
    ${replyFacts(message)} ${extra}
  </li>`;
}

/** The rules that held a sentence back, in words, each with its id for operators who look it up. */
function heldBackRules(rules: string[]) {
  return rules.map(
    (rule, i) => html`${i ? ', ' : ''}<span title=${`Safety rule ${rule}`}>${safetyRuleLabel(rule)}</span> <code class="muted">${rule}</code>`,
  );
}
