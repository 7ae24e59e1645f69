import { html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, fieldErrors, type ChatDetail, type LiveEvent, type OperatorMessage } from '../api.js';
import { AUTHOR_LABELS, REASON_LABELS, capitalize, full, when } from '../format.js';
import { navigate } from '../router.js';
import { PageElement } from '../page.js';

/**
 * One chat as read-only history. Operators never write into the widget; a chat that needs
 * a human continues as an email ticket, linked from here.
 */
@customElement('t0-chat-view')
export class ChatViewPage extends PageElement {
  @state() private chat: ChatDetail | null = null;
  @state() private error = '';
  @state() private following = false;
  @state() private formError = '';
  @state() private formFields: Record<string, string> = {};
  @state() private busy = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route')) {
      this.chat = null;
      void this.load();
    }
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
            ? html`<span class="badge verified">Verified</span> ${chat.verifiedEmail}`
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
        ${chat.negativeFeedbackCount
          ? html`<dt>Feedback</dt>
              <dd><span class="badge negative">${chat.negativeFeedbackCount} negative rating(s)</span></dd>`
          : nothing}
        ${chat.qualityFlags.length
          ? html`<dt>Quality</dt>
              <dd>${chat.qualityFlags.map((flag) => html`<span class="badge">${flag}</span> `)}</dd>`
          : nothing}
      </dl>
      ${chat.linkedTicket ? nothing : this.followUp()}
      <h2 id="history">Conversation</h2>
      <p class="hint">Read-only. Operators answer by email from the ticket, never inside the widget.</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${chat.messages.length
        ? html`<ol class="thread" aria-labelledby="history">
            ${chat.messages.map((message) => this.message(message))}
          </ol>`
        : html`<p class="empty">The visitor opened the chat but has not written yet.</p>`}
    `;
  }

  private message(message: OperatorMessage) {
    const details = [
      message.kind !== 'text' ? capitalize(message.kind) : null,
      message.interrupted ? 'interrupted' : null,
      message.model ? `${message.model}${message.latencyMs !== null ? `, ${(message.latencyMs / 1000).toFixed(1)} s` : ''}` : null,
    ].filter(Boolean);
    return html`<li class=${message.author}>
      <span class="who">${AUTHOR_LABELS[message.author] ?? message.author}</span>
      <span class="muted"> · <time datetime=${message.createdAt.toISOString()}>${when(message.createdAt)}</time></span>
      ${details.length ? html`<span class="muted"> · ${details.join(' · ')}</span>` : nothing}
      ${message.rating === 'down' ? html` <span class="badge negative">Rated down</span>` : nothing}
      ${message.rating === 'up' ? html` <span class="badge verified">Rated up</span>` : nothing}
      <div class="body">${message.body}</div>
    </li>`;
  }

  private followUp() {
    if (!this.following) {
      return html`<p>
        <button class="secondary" @click=${() => (this.following = true)}>Follow up by email</button>
      </p>`;
    }
    const chat = this.chat!;
    return html`<form class="card" @submit=${this.createTicket} novalidate aria-labelledby="follow-up">
      <h2 id="follow-up">Follow up by email</h2>
      ${this.formError ? html`<p class="error" role="alert">${this.formError}</p>` : nothing}
      <div class="field">
        <label for="requester">Customer email</label>
        <input id="requester" name="requesterEmail" type="email" .value=${chat.verifiedEmail ?? ''} required
          aria-describedby="requester-error" />
        ${this.formFields.requesterEmail ? html`<p class="field-error" id="requester-error">${this.formFields.requesterEmail}</p>` : nothing}
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
        <button type="submit" ?disabled=${this.busy}>Create email ticket</button>
        <button type="button" class="secondary" @click=${() => (this.following = false)}>Cancel</button>
      </div>
    </form>`;
  }

  private async createTicket(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    this.formError = '';
    this.formFields = {};
    try {
      const ticket = await api.admin.tickets.create.mutate({
        requesterEmail: String(form.get('requesterEmail') ?? ''),
        subject: String(form.get('subject') ?? ''),
        summary: String(form.get('summary') ?? '') || undefined,
        chatSessionId: this.chat!.sessionId,
      });
      navigate(`/tickets/${ticket.id}`);
    } catch (error) {
      this.formFields = fieldErrors(error);
      this.formError = this.problem(error);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-chat-view': ChatViewPage;
  }
}
