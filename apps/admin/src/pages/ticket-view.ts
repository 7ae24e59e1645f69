import { html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type ChatDetail, type LiveEvent, type OperatorMessage, type TeamMember, type TicketDetail } from '../api.js';
import { REASON_LABELS, STATUSES, capitalize, full } from '../format.js';
import { transcriptEntry } from '../transcript.js';
import { PageElement } from '../page.js';

type Status = (typeof STATUSES)[number];

/** One email ticket: what it is about, who has it, the thread, and the reply box. */
@customElement('t0-ticket-view')
export class TicketViewPage extends PageElement {
  @state() private ticket: TicketDetail | null = null;
  /** The chat the ticket came from, shown inline so the whole story is on one page. */
  @state() private chat: ChatDetail | null = null;
  @state() private chatError = '';
  @state() private team: TeamMember[] = [];
  @state() private error = '';
  @state() private notice = '';
  @state() private replyError = '';
  /** Original mails opened in this view, by message id. */
  @state() private originals = new Map<number, string>();
  @state() private sending = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route')) {
      this.ticket = null;
      this.chat = null;
      this.notice = '';
      void this.load();
      void api.admin.team.list
        .query()
        .then((team) => (this.team = team))
        .catch(() => (this.team = []));
    }
  }

  protected override onCatchUp(): void {
    if (this.ticket) void this.load();
  }

  protected override onLive(event: LiveEvent): void {
    if (this.ticket && event.ticketId === this.ticket.id) this.refreshSoon(() => void this.load());
  }

  private get ticketId(): number {
    return Number(this.route.id);
  }

  private async load(): Promise<void> {
    if (!Number.isInteger(this.ticketId) || this.ticketId <= 0) {
      this.error = 'This is not a ticket number.';
      return;
    }
    try {
      this.ticket = await api.admin.tickets.get.query({ id: this.ticketId });
      this.error = '';
      this.markRead(this.ticket.id, this.ticket.messages.at(-1)?.id ?? 0);
      if (this.ticket.chatSessionId) void this.loadChat(this.ticket.chatSessionId);
    } catch (error) {
      this.error = this.problem(error);
    }
  }

  /** `r` reply, `a` assign to me, `c` close. */
  protected override onShortcut(key: string): void {
    if (!this.ticket) return;
    if (key === 'r') this.shadowRoot?.querySelector<HTMLTextAreaElement>('#reply')?.focus();
    if (key === 'a' && this.ticket.assignee?.id !== this.operator.id) void this.assignTo(this.operator.id);
    if (key === 'c' && this.ticket.status !== 'closed') void this.setStatus('closed');
  }

  private async loadChat(sessionId: string): Promise<void> {
    try {
      this.chat = await api.admin.chats.get.query({ sessionId });
      this.chatError = '';
    } catch (error) {
      this.chatError = this.problem(error);
    }
  }

  override render() {
    if (!this.ticket) {
      return this.error
        ? html`<h1 tabindex="-1">Ticket</h1>
            <p class="error" role="alert">${this.error}</p>
            <p><a href="/admin/tickets">Back to tickets</a></p>`
        : html`<p role="status">Loading the ticket…</p>`;
    }
    const t = this.ticket;
    return html`
      <p><a href="/admin/tickets">← Tickets</a></p>
      <h1 tabindex="-1">#${t.id} ${t.subject}</h1>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="story">
        <aside class="details" aria-labelledby="ticket-details">
          <h2 id="ticket-details">Details</h2>
          <div class="row">
            <div class="field">
              <label for="status">Status</label>
              <select id="status" @change=${this.changeStatus}>
                ${STATUSES.map((s) => html`<option value=${s} ?selected=${t.status === s}>${capitalize(s)}</option>`)}
              </select>
            </div>
            ${t.assignee?.id === this.operator.id
              ? nothing
              : html`<button type="button" class="secondary take" @click=${() => void this.assignTo(this.operator.id)}>
                  Assign to me
                </button>`}
            <div class="field">
              <label for="assignee">Assignee</label>
              <select id="assignee" @change=${this.reassign}>
                <option value="" ?selected=${!t.assignee}>Unassigned</option>
                ${this.team.map(
                  (m) =>
                    html`<option value=${m.id} ?selected=${t.assignee?.id === m.id}>
                      ${m.name}${m.id === this.operator.id ? ' (me)' : ''}${m.availability === 'away' ? ' — away' : ''}
                    </option>`,
                )}
                ${t.assignee && !this.team.some((m) => m.id === t.assignee!.id)
                  ? html`<option value=${t.assignee.id} selected>${t.assignee.name}</option>`
                  : nothing}
              </select>
            </div>
          </div>
          <dl class="facts">
            <dt>Requester</dt>
            <dd>${t.requesterEmail ?? html`<span class="muted">none</span>`}</dd>
            <dt>Priority</dt>
            <dd><span class="badge ${t.priority}">${capitalize(t.priority)}</span></dd>
            <dt>Tags</dt>
            <dd>${t.tags.length ? t.tags.map((tag) => html`<span class="badge">${tag}</span> `) : html`<span class="muted">none</span>`}</dd>
            <dt>Escalation reason</dt>
            <dd>${t.escalationReason ? (REASON_LABELS[t.escalationReason] ?? t.escalationReason) : html`<span class="muted">none</span>`}</dd>
            <dt>From chat</dt>
            <dd>${t.chatSessionId ? html`<a href="/admin/chats/${t.chatSessionId}">Open the chat</a>` : html`<span class="muted">none</span>`}</dd>
            <dt>Created</dt>
            <dd>${full(t.createdAt)}</dd>
          </dl>
        </aside>
        <div class="conversation">
          <h2>Summary</h2>
          ${t.aiSummary ? html`<p class="card pre">${t.aiSummary}</p>` : html`<p class="muted">No summary.</p>`}
          ${t.chatSessionId ? this.transcript() : nothing}
          <h2 id="thread">Messages</h2>
          ${t.messages.length
            ? html`<ol class="thread" aria-labelledby="thread">${t.messages.map((m) => transcriptEntry(m, this.mailExtras(m)))}</ol>`
            : html`<p class="empty">No messages yet. Your reply is mailed to the requester.</p>`}
          ${this.replyForm(t)}
        </div>
      </div>
    `;
  }

  /** The chat the ticket came from, read-only, with why each reply was what it was. */
  private transcript() {
    const chat = this.chat;
    return html`<h2 id="transcript">Chat transcript</h2>
      ${this.chatError ? html`<p class="error" role="alert">${this.chatError}</p>` : nothing}
      ${!chat
        ? this.chatError
          ? nothing
          : html`<p role="status">Loading the chat…</p>`
        : chat.messages.length
          ? html`<p class="hint">
                From the website chat${chat.verifiedEmail ? html` with ${chat.verifiedEmail} (verified)` : nothing} ·
                <a href="/admin/chats/${chat.sessionId}">Open it in Live Chat</a>
              </p>
              <ol class="thread transcript" aria-labelledby="transcript">
                ${chat.messages.map((m) => transcriptEntry(m))}
              </ol>`
          : html`<p class="empty">The visitor did not write in the chat.</p>`}`;
  }

  /** What a mailed message adds to its entry: attachments and the original mail. */
  private mailExtras(message: OperatorMessage) {
    return html`${message.attachments?.length
        ? html`<ul class="attachments" aria-label="Attachments">
            ${message.attachments.map(
              (a) => html`<li>
                ${a.kept
                  ? html`<button type="button" class="link" @click=${() => this.download(a.id)}>${a.filename}</button>`
                  : html`<span>${a.filename}</span> <span class="muted">(over the size limit, not kept)</span>`}
                <span class="muted">${Math.ceil(a.size / 1024)} KB</span>
              </li>`,
            )}
          </ul>`
        : nothing}
      ${message.author === 'customer'
        ? html`<details @toggle=${(e: Event) => this.loadOriginal(e, message.id)}>
            <summary>Original mail</summary>
            <pre class="pre">${this.originals.get(message.id) ?? 'Loading…'}</pre>
          </details>`
        : nothing}`;
  }

  /** The whole mail a customer's message was read from (quoted history and signature included). */
  private async loadOriginal(event: Event, messageId: number): Promise<void> {
    if (!(event.target as HTMLDetailsElement).open || this.originals.has(messageId)) return;
    try {
      const original = await api.admin.mail.original.query({ messageId });
      this.originals = new Map(this.originals).set(messageId, `From: ${original.from}\nSubject: ${original.subject}\n\n${original.text}`);
    } catch (error) {
      this.originals = new Map(this.originals).set(messageId, this.problem(error));
    }
  }

  /** Attachments come through the operators' API only, never as a public link. */
  private async download(id: number): Promise<void> {
    try {
      const file = await api.admin.mail.attachment.query({ id });
      const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
      const link = Object.assign(document.createElement('a'), { href: url, download: file.filename });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.replyError = this.problem(error);
    }
  }

  private replyForm(t: TicketDetail) {
    if (!t.requesterEmail) return html`<p class="muted">This ticket has no requester address, so it cannot be answered by email.</p>`;
    return html`<form @submit=${this.reply} novalidate>
      <h2>Reply</h2>
      ${this.replyError ? html`<p class="error" role="alert">${this.replyError}</p>` : nothing}
      <div class="field">
        <label for="reply">Reply to ${t.requesterEmail}</label>
        <textarea id="reply" name="body" required></textarea>
        <p class="hint">Sent by email from the support address; stored on this ticket.</p>
      </div>
      <div class="row">
        <div class="field">
          <label for="then-status">After sending, mark the ticket</label>
          <select id="then-status" name="thenStatus">
            <option value="">Leave it ${capitalize(t.status)}</option>
            ${STATUSES.filter((s) => s !== t.status).map((s) => html`<option value=${s}>${capitalize(s)}</option>`)}
          </select>
        </div>
        <button type="submit" ?disabled=${this.sending}>${this.sending ? 'Sending…' : 'Send reply'}</button>
      </div>
    </form>`;
  }

  private async reply(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const body = String(new FormData(form).get('body') ?? '').trim();
    if (!body) {
      this.replyError = 'Write a reply before sending.';
      return;
    }
    this.sending = true;
    this.replyError = '';
    try {
      const thenStatus = STATUSES.find((status) => status === new FormData(form).get('thenStatus'));
      this.ticket = await api.admin.tickets.reply.mutate({ id: this.ticketId, body });
      form.reset();
      this.notice = `Reply saved and queued for ${this.ticket.requesterEmail}.`;
      // Reply and act in one step: the status follows once the reply is safely stored.
      if (thenStatus) {
        const updated = await api.admin.tickets.setStatus.mutate({ id: this.ticketId, status: thenStatus });
        this.ticket = { ...this.ticket, ...updated };
        this.notice = `Reply saved and queued for ${this.ticket.requesterEmail}; status changed to ${capitalize(thenStatus)}.`;
      }
    } catch (error) {
      this.replyError = this.problem(error);
    } finally {
      this.sending = false;
    }
  }

  private async changeStatus(event: Event): Promise<void> {
    await this.setStatus((event.target as HTMLSelectElement).value as Status);
  }

  private async setStatus(status: Status): Promise<void> {
    try {
      const updated = await api.admin.tickets.setStatus.mutate({ id: this.ticketId, status });
      this.ticket = { ...this.ticket!, ...updated };
      this.notice = `Status changed to ${capitalize(status)}.`;
      this.error = '';
    } catch (error) {
      this.error = this.problem(error);
    }
  }

  private async reassign(event: Event): Promise<void> {
    const value = (event.target as HTMLSelectElement).value;
    await this.assignTo(value ? Number(value) : null);
  }

  private async assignTo(operatorId: number | null): Promise<void> {
    try {
      const updated = await api.admin.tickets.assign.mutate({ id: this.ticketId, operatorId });
      this.ticket = { ...this.ticket!, ...updated };
      this.notice = updated.assignee ? `Assigned to ${updated.assignee.name}.` : 'The ticket is unassigned.';
      this.error = '';
    } catch (error) {
      this.error = this.problem(error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-ticket-view': TicketViewPage;
  }
}
