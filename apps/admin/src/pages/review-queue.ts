import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type LiveEvent, type ReviewItem } from '../api.js';
import { RATING_REASON_LABELS, when } from '../format.js';
import { PageElement } from '../page.js';
import { PagedList } from '../paged-list.js';
import { negativeBadge, qualityBadge, qualityFlagBadges } from '../parts.js';

/**
 * Chats that went badly: scored under 70 %, or got a thumbs down. An operator reads each,
 * flags the replies that were wrong, and marks it reviewed.
 */
@customElement('t0-review-queue')
export class ReviewQueuePage extends PageElement {
  private readonly list = new PagedList(this, (page) => api.admin.quality.reviewQueue.query(page));
  @state() private notice = '';
  @state() private busy: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.list.load();
  }

  protected override onCatchUp(): void {
    void this.list.load({ keep: true });
  }

  protected override onLive(event: LiveEvent): void {
    // A new evaluation announces itself as a change to the chat's ticket.
    if (event.type === 'ticket') this.refreshSoon(() => void this.list.load({ keep: true }), 500);
  }

  override render() {
    return html`
      <h1 tabindex="-1">Review queue</h1>
      <p class="hint">
        Chats whose quality score fell under 70 %, or that got a thumbs down, most recently judged first. Open one, flag the
        replies that were wrong, then mark it reviewed.
      </p>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      ${this.list.renderError()}
      ${this.list.render({
        loading: 'Loading the review queue…',
        rows: (items) => html`<ul class="cards" aria-label="Chats to review">${items.map((item) => this.row(item))}</ul>`,
        more: 'Show more',
        empty: () => html`<p class="empty">Nothing to review. Chats that score under 70 % or get a thumbs down appear here.</p>`,
      })}
    `;
  }

  private row(item: ReviewItem) {
    const titleId = `review-${item.sessionId}`;
    return html`<li class="card">
      <a class="card-title" id=${titleId} href="/admin/chats/${item.sessionId}">${item.subject}</a>
      <div class="card-line">
        ${qualityBadge(item.quality)} ${qualityFlagBadges(item.qualityFlags)} ${negativeBadge(item.negativeFeedbackCount)}
        <span class="muted">Judged ${when(item.quality.evaluatedAt)} ${item.quality.method === 'heuristic' ? '(heuristics)' : ''}</span>
        <span class="muted">Last activity ${when(item.lastActivityAt)}</span>
      </div>
      ${this.flagged(item)}
      <div class="actions">
        <button class="secondary" aria-describedby=${titleId} ?disabled=${this.busy === item.sessionId} @click=${() => void this.markReviewed(item)}>
          Mark reviewed
        </button>
      </div>
    </li>`;
  }

  /** The reply the chat is here for, with the visitor's reason and words when they rated it down. */
  private flagged(item: ReviewItem) {
    const reply = item.flaggedReply;
    if (!reply) return html`<p class="preview">No AI reply in this chat.</p>`;
    const reason = reply.ratingReason ? (RATING_REASON_LABELS[reply.ratingReason] ?? reply.ratingReason) : null;
    return html`<div class="preview">
      <span class="muted">${reply.rating === 'down' ? 'The reply rated down' : 'The latest AI reply'}:</span>
      <blockquote>${reply.body}</blockquote>
      ${reply.rating === 'down'
        ? html`<span class="badge negative">Rated down${reason ? `: ${reason}` : ''}</span>
            ${reply.ratingComment ? html`<span>“${reply.ratingComment}”</span>` : nothing}`
        : nothing}
    </div>`;
  }

  private async markReviewed(item: ReviewItem): Promise<void> {
    this.busy = item.sessionId;
    try {
      await api.admin.quality.markReviewed.mutate({ sessionId: item.sessionId });
      this.list.drop((other) => other.sessionId === item.sessionId);
      this.list.error = '';
      this.notice = `“${item.subject}” marked reviewed.`;
      this.focusHeading();
    } catch (error) {
      this.list.fail(error);
    } finally {
      this.busy = null;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-review-queue': ReviewQueuePage;
  }
}
