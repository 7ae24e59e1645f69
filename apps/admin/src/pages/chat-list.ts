import { html, nothing, type PropertyValues } from 'lit';
import { customElement } from 'lit/decorators.js';
import { api, type ChatSummary, type LiveEvent } from '../api.js';
import { AUTHOR_LABELS, REASON_LABELS, when } from '../format.js';
import { navigate } from '../router.js';
import { PageElement } from '../page.js';
import { PagedList } from '../paged-list.js';
import { negativeBadge, qualityBadge, qualityFlagBadges, searchForm, verifiedBadge } from '../parts.js';

const FILTERS = [
  ['all', 'All'],
  ['escalated', 'Escalated'],
  ['verified', 'Verified'],
  ['negative_feedback', 'Negative feedback'],
  ['low_quality', 'Low quality'],
  ['hallucination', 'Hallucination'],
  ['circular', 'Circular'],
  ['in_review', 'In review'],
] as const;
type Filter = (typeof FILTERS)[number][0];

/** Live Chat: every widget conversation, most recent activity first; updates by itself. */
@customElement('t0-chat-list')
export class ChatListPage extends PageElement {
  private readonly list = new PagedList(this, (page) =>
    api.admin.chats.list.query({ filter: this.filter, ...page }),
  );

  private get filter(): Filter {
    const value = this.route.query.get('filter');
    return FILTERS.some(([key]) => key === value) ? (value as Filter) : 'all';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route')) void this.list.load();
  }

  /** `n`: the row after the open one, in the list beside it. */
  protected override onShortcut(key: string): void {
    if (key !== 'n' || !this.compact) return;
    const ids = this.list.items.map((chat) => chat.sessionId);
    const next = ids[ids.indexOf(this.selected ?? '') + 1];
    if (next) navigate(`/chats/${next}`);
  }

  protected override onCatchUp(): void {
    void this.list.load({ keep: true });
  }

  protected override onLive(event: LiveEvent): void {
    if ((event.type === 'message' && event.sessionId) || event.type === 'ticket') {
      this.refreshSoon(() => void this.list.load({ keep: true }));
    }
  }

  override render() {
    return html`
      ${this.compact
        ? html`<h2 class="pane-title">Live Chat</h2>`
        : html`<h1 tabindex="-1">${this.filter === 'escalated' ? 'Live Chat — Escalated' : 'Live Chat'}</h1>
            ${searchForm()}`}
      <nav aria-label="Chat filters" class=${this.compact ? 'compact' : ''}>
        <ul class="tabs">
          ${FILTERS.map(
            ([key, label]) =>
              html`<li>
                <a href="/admin/chats${key === 'all' ? '' : `?filter=${key}`}" aria-current=${this.filter === key ? 'page' : nothing}
                  >${label}</a
                >
              </li>`,
          )}
        </ul>
      </nav>
      ${this.list.renderError()}
      ${this.list.render({
        loading: 'Loading chats…',
        rows: (chats) => html`<ul class="cards" aria-label="Chats">${chats.map((chat) => this.row(chat))}</ul>`,
        more: 'Show older chats',
        empty: () => this.empty(),
      })}
    `;
  }

  private empty() {
    return html`<p class="empty">
      ${this.filter === 'all'
        ? 'No chats yet. When a visitor writes in the widget, the chat appears here by itself.'
        : this.filter === 'escalated'
          ? 'No escalated chats. When a chat needs a human, it shows here.'
          : ['low_quality', 'hallucination', 'circular', 'in_review'].includes(this.filter)
            ? 'No chats match this filter. Chats are judged once they have been quiet for a while, or at once after a thumbs down.'
            : 'No chats match this filter.'}
    </p>`;
  }

  private row(chat: ChatSummary) {
    const last = chat.lastMessage;
    return html`<li>
      <a class="card ${chat.unread ? 'unread' : ''}" href="/admin/chats/${chat.sessionId}"
        aria-current=${this.selected === chat.sessionId ? 'page' : nothing}>
        <span class="card-title">${chat.unread ? html`<span class="badge unread">Unread</span> ` : nothing}${chat.subject}</span>
        <span class="card-line">
          <span class="muted">${when(chat.lastActivityAt)}</span>
          <span class="muted">${chat.messageCount} message${chat.messageCount === 1 ? '' : 's'}</span>
          ${chat.origin ? html`<span class="muted">${new URL(chat.origin).host}</span>` : nothing}
          ${verifiedBadge(chat.verifiedEmail)}
          ${chat.escalated
            ? html`<span class="badge escalated"
                >Escalated${chat.escalationReason ? `: ${REASON_LABELS[chat.escalationReason] ?? chat.escalationReason}` : ''}</span
              >`
            : nothing}
          ${qualityBadge(chat.quality)} ${qualityFlagBadges(chat.qualityFlags, { withReview: true })}
          ${negativeBadge(chat.negativeFeedbackCount)}
        </span>
        ${last ? html`<span class="preview">${AUTHOR_LABELS[last.author] ?? last.author}: ${last.body}</span>` : nothing}
      </a>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-chat-list': ChatListPage;
  }
}
