import { html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type ChatDetail, type LiveEvent, type OperatorMessage } from '../api.js';
import {
  LESSON_STATUS_LABELS,
  QUESTION_TYPE_LABELS,
  REASON_LABELS,
  capitalize,
  full,
  when,
} from '../format.js';
import { PageElement } from '../page.js';
import { negativeBadge, qualityBadge, qualityFlagBadges } from '../parts.js';
import { TicketForm } from '../ticket-form.js';
import { transcriptEntry } from '../transcript.js';

/**
 * One chat as read-only history. Operators never write into the widget; a chat that needs
 * a human continues as an email ticket, linked from here.
 */
@customElement('t0-chat-view')
export class ChatViewPage extends PageElement {
  @state() private chat: ChatDetail | null = null;
  @state() private error = '';
  @state() private following = false;
  private readonly ticketForm = new TicketForm(this, () => ({ chatSessionId: this.chat!.sessionId }));
  /** The AI reply whose flag form is open. */
  @state() private flagging: number | null = null;
  @state() private flagError = '';
  @state() private flagBusy = false;
  @state() private notice = '';
  @state() private reviewing = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route')) {
      this.chat = null;
      this.flagging = null;
      this.notice = '';
      void this.load();
    }
  }

  protected override onCatchUp(): void {
    if (this.chat) void this.load();
  }

  protected override onLive(event: LiveEvent): void {
    if (!this.chat) return;
    const mine =
      (event.type === 'message' && event.sessionId === this.chat.sessionId) ||
      (event.type === 'ticket' && (event.ticketId === this.chat.ticketId || event.ticketId === this.chat.linkedTicketId));
    if (mine) this.refreshSoon(() => void this.load());
  }

  private async load(): Promise<void> {
    try {
      this.chat = await api.admin.chats.get.query({ sessionId: this.route.id ?? '' });
      this.error = '';
      this.markRead(this.chat.ticketId, this.chat.messages.at(-1)?.id ?? 0);
    } catch (error) {
      this.error = this.problem(error);
    }
  }

  override render() {
    if (!this.chat) {
      return this.error
        ? html`<h1 tabindex="-1">Chat</h1>
            <p class="error" role="alert">${this.error}</p>
            <p><a href="/admin/chats">Back to Live Chat</a></p>`
        : html`<p role="status">Loading the chat…</p>`;
    }
    const chat = this.chat;
    return html`
      <p><a href="/admin/chats">← Live Chat</a></p>
      <h1 tabindex="-1">${chat.subject}</h1>
      <div class="story">
        <aside class="details" aria-labelledby="chat-details">
          <h2 id="chat-details">Details</h2>
          <dl class="facts">
            <dt>Started</dt>
            <dd>${full(chat.startedAt)}</dd>
            <dt>Last activity</dt>
            <dd>${full(chat.lastActivityAt)}</dd>
            <dt>Site</dt>
            <dd>${chat.origin ?? 'unknown'}${chat.locale ? html` · language ${chat.locale}` : nothing}</dd>
            <dt>Visitor</dt>
            <dd>
              ${chat.verifiedEmail
                ? html`<span class="badge verified">Verified</span> ${chat.verifiedEmail}
                    ${chat.verifiedAt ? html`<span class="muted">since ${when(chat.verifiedAt)}</span>` : nothing}
                    ${chat.verifiedCustomerId
                      ? html`· <a href="/admin/customers/${chat.verifiedCustomerId}">Customer record</a>`
                      : html`<span class="muted">· no customer record</span>`}`
                : html`<span class="muted">Not verified</span>`}
            </dd>
            <dt>Escalation</dt>
            <dd>
              ${chat.escalated
                ? html`<span class="badge escalated">Escalated</span>
                    ${chat.escalationReason ? (REASON_LABELS[chat.escalationReason] ?? chat.escalationReason) : nothing}`
                : html`<span class="muted">None</span>`}
            </dd>
            <dt>Email ticket</dt>
            <dd>
              ${chat.linkedTicket
                ? html`<a href="/admin/tickets/${chat.linkedTicket.id}">Ticket #${chat.linkedTicket.id}: ${chat.linkedTicket.subject}</a>
                    <span class="badge ${chat.linkedTicket.status}">${capitalize(chat.linkedTicket.status)}</span>`
                : html`<span class="muted">None</span>`}
            </dd>
            <dt>Feedback</dt>
            <dd>${chat.negativeFeedbackCount ? negativeBadge(chat.negativeFeedbackCount) : html`<span class="muted">No negative ratings</span>`}</dd>
            <dt>Quality</dt>
            <dd>${this.quality(chat)}</dd>
          </dl>
        </aside>
        <div class="conversation">
          <div role="status" aria-live="polite">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
          ${chat.linkedTicket ? nothing : this.followUp()}
          <h2 id="history">Conversation</h2>
          <p class="hint">Read-only. Operators answer by email from the ticket, never inside the widget.</p>
          ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
          ${chat.messages.length
            ? html`<ol class="thread" aria-labelledby="history">
                ${chat.messages.map((message) => this.message(message))}
              </ol>`
            : html`<p class="empty">The visitor opened the chat but has not written yet.</p>`}
        </div>
      </div>
    `;
  }

  private quality(chat: ChatDetail) {
    const q = chat.quality;
    if (!q) return html`<span class="muted">Not evaluated yet: chats are judged once they have been quiet for a while.</span>`;
    return html`${qualityBadge(q)} ${qualityFlagBadges(chat.qualityFlags)}
      <span class="muted">
        accuracy ${q.accuracy}, completeness ${q.completeness}, resolution ${q.resolution} · judged
        ${q.method === 'model' ? 'by the model' : 'by heuristics (model unavailable)'}
        ${q.questionType ? html`· about ${QUESTION_TYPE_LABELS[q.questionType] ?? capitalize(q.questionType)}` : nothing} · ${when(q.evaluatedAt)}
      </span>
      <div class="row">
        ${q.inReview
          ? html`<span class="badge in_review">In the review queue</span>
              <button class="secondary" ?disabled=${this.reviewing} @click=${() => void this.markReviewed()}>Mark reviewed</button>`
          : q.reviewedAt
            ? html`<span class="muted">Reviewed ${when(q.reviewedAt)}</span>`
            : nothing}
      </div>`;
  }

  private async markReviewed(): Promise<void> {
    this.reviewing = true;
    try {
      const quality = await api.admin.quality.markReviewed.mutate({ sessionId: this.chat!.sessionId });
      this.chat = { ...this.chat!, quality, qualityFlags: this.chat!.qualityFlags.filter((flag) => flag !== 'in_review') };
      this.notice = 'Marked reviewed: the chat has left the review queue.';
      this.error = '';
    } catch (error) {
      this.error = this.problem(error);
    } finally {
      this.reviewing = false;
    }
  }

  private message(message: OperatorMessage) {
    const flaggable = message.author === 'ai' && message.kind === 'text';
    return transcriptEntry(
      message,
      html`${message.lessons.map(
        (lesson) => html`<p class="lesson-note">
          <span class="badge ${lesson.status}">Flagged · lesson ${LESSON_STATUS_LABELS[lesson.status]?.toLowerCase() ?? lesson.status}</span>
          ${lesson.text} <a href="/admin/lessons">Lessons</a>
        </p>`,
      )}
      ${flaggable ? this.flagControls(message) : nothing}`,
    );
  }

  private flagControls(message: OperatorMessage) {
    const id = `correction-${message.id}`;
    if (this.flagging !== message.id) {
      return html`<div class="actions">
        <button class="secondary" id="flag-${message.id}" aria-expanded="false" @click=${() => this.openFlag(message.id)}>
          Flag reply
        </button>
      </div>`;
    }
    return html`<form @submit=${(event: SubmitEvent) => this.flag(event, message)} novalidate aria-label="Flag this reply">
      ${this.flagError ? html`<p class="error" role="alert">${this.flagError}</p>` : nothing}
      <div class="field">
        <label for=${id}>What it should have said (optional)</label>
        <textarea id=${id} name="correction" maxlength="2000" aria-describedby="${id}-hint"></textarea>
        <p class="hint" id="${id}-hint">
          Becomes a one-line lesson that waits for review on the Lessons page. The reply already sent stays as it is.
        </p>
      </div>
      <div class="row">
        <button type="submit" ?disabled=${this.flagBusy}>${this.flagBusy ? 'Flagging…' : 'Send flag'}</button>
        <button type="button" class="secondary" @click=${() => this.closeFlag(message.id)}>Cancel</button>
      </div>
    </form>`;
  }

  /** Closes the flag form and puts focus back on the reply's Flag button. */
  private closeFlag(messageId: number): void {
    this.flagging = null;
    void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLElement>(`#flag-${messageId}`)?.focus());
  }

  private openFlag(messageId: number): void {
    this.flagging = messageId;
    this.flagError = '';
    void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLTextAreaElement>(`#correction-${messageId}`)?.focus());
  }

  private async flag(event: SubmitEvent, message: OperatorMessage): Promise<void> {
    event.preventDefault();
    const correction = String(new FormData(event.target as HTMLFormElement).get('correction') ?? '').trim();
    this.flagBusy = true;
    this.flagError = '';
    try {
      const lesson = await api.admin.lessons.flag.mutate({ messageId: message.id, ...(correction ? { correction } : {}) });
      this.closeFlag(message.id);
      this.notice = `Reply flagged. Its lesson waits for review on the Lessons page: “${lesson.text}”`;
      await this.load();
    } catch (error) {
      this.flagError = this.problem(error);
    } finally {
      this.flagBusy = false;
    }
  }

  private followUp() {
    if (!this.following) {
      return html`<p>
        <button class="secondary" @click=${() => (this.following = true)}>Follow up by email</button>
      </p>`;
    }
    const chat = this.chat!;
    const form = this.ticketForm;
    return html`<form class="card" @submit=${form.submit} novalidate aria-labelledby="follow-up">
      <h2 id="follow-up">Follow up by email</h2>
      ${form.renderError()}
      <div class="field">
        <label for="requester">Customer email</label>
        <input id="requester" name="requesterEmail" type="email" .value=${chat.verifiedEmail ?? ''} required
          aria-describedby="requester-error" />
        ${form.fields.requesterEmail ? html`<p class="field-error" id="requester-error">${form.fields.requesterEmail}</p>` : nothing}
      </div>
      <div class="field">
        <label for="subject">Subject</label>
        <input id="subject" name="subject" .value=${chat.subject} required />
      </div>
      <div class="field">
        <label for="summary">Summary for the team (optional)</label>
        <textarea id="summary" name="summary"></textarea>
      </div>
      <div class="row">
        <button type="submit" ?disabled=${form.busy}>Create email ticket</button>
        <button type="button" class="secondary" @click=${() => (this.following = false)}>Cancel</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-chat-view': ChatViewPage;
  }
}
