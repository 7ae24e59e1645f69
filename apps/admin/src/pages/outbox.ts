import { html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type LiveEvent, type OutboxEmail } from '../api.js';
import { capitalize, full, when } from '../format.js';
import { navigate } from '../router.js';
import { PageElement } from '../page.js';
import { PagedList } from '../paged-list.js';
import { adminNav } from '../admin-nav.js';

const STATUSES = ['queued', 'sent', 'failed'] as const;
type Status = (typeof STATUSES)[number];

/** Every mail the server sends, with its delivery status; failed mail can be retried. */
@customElement('t0-outbox-page')
export class OutboxPage extends PageElement {
  @state() private notice = '';
  private readonly list = new PagedList(this, (page) => api.admin.outbox.list.query({ status: this.status, ...page }));

  private get status(): Status | undefined {
    const value = this.route.query.get('status');
    return STATUSES.includes(value as Status) ? (value as Status) : undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route') && this.isAdmin) void this.list.load();
  }

  protected override onCatchUp(): void {
    if (this.isAdmin) void this.list.load({ keep: true });
  }

  protected override onLive(event: LiveEvent): void {
    if (event.type === 'ticket') this.refreshSoon(() => void this.list.load({ keep: true }), 500);
  }

  override render() {
    if (!this.isAdmin) {
      return html`<h1 tabindex="-1">Outbox</h1>
        <p class="error" role="alert">Only an admin or owner can see the outbox.</p>`;
    }
    return html`
      ${adminNav('outbox')}
      <h1 tabindex="-1">Outbox</h1>
      ${this.list.last?.smtpConfigured !== false
        ? nothing
        : html`<p class="notice">SMTP_URL is not set: mail stays here as "queued" and is written to the server log.</p>`}
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      ${this.list.renderError()}
      <div class="field">
        <label for="outbox-status">Status</label>
        <select id="outbox-status" @change=${this.pick}>
          <option value="" ?selected=${!this.status}>Any status</option>
          ${STATUSES.map((s) => html`<option value=${s} ?selected=${this.status === s}>${capitalize(s)}</option>`)}
        </select>
      </div>
      ${this.list.render({
        loading: 'Loading mail…',
        rows: (mails) => html`<ul class="cards" aria-label="Mail">${mails.map((mail) => this.mail(mail))}</ul>`,
        more: 'Show older mail',
        empty: () => html`<p class="empty">No mail ${this.status ? `with status ${this.status}` : 'yet'}.</p>`,
      })}
    `;
  }

  private pick(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    navigate(value ? `/outbox?status=${value}` : '/outbox');
  }

  private mail(mail: OutboxEmail) {
    return html`<li class="card">
      <div class="card-title">${mail.subject}</div>
      <div class="card-line">
        <span class="badge ${mail.status}">${capitalize(mail.status)}</span>
        <span>To ${mail.to}</span>
        <span class="muted">Created ${when(mail.createdAt)}</span>
        ${mail.sentAt ? html`<span class="muted">Sent ${when(mail.sentAt)}</span>` : nothing}
        <span class="muted">${mail.attempts} attempt${mail.attempts === 1 ? '' : 's'}</span>
        ${mail.ticketId ? html`<a href="/admin/tickets/${mail.ticketId}">Ticket #${mail.ticketId}</a>` : nothing}
      </div>
      ${mail.lastError ? html`<p class="field-error">Last error: ${mail.lastError}</p>` : nothing}
      ${mail.status === 'queued' && mail.nextAttemptAt && mail.attempts > 0
        ? html`<p class="hint">Next attempt ${full(mail.nextAttemptAt)}</p>`
        : nothing}
      <details>
        <summary>Text</summary>
        <div class="preview pre">${mail.text}</div>
      </details>
      ${mail.status === 'failed'
        ? html`<p><button class="secondary" @click=${() => void this.retry(mail)}>Retry sending to ${mail.to}</button></p>`
        : nothing}
    </li>`;
  }

  private async retry(mail: OutboxEmail): Promise<void> {
    try {
      await api.admin.outbox.retry.mutate({ id: mail.id });
      this.notice = `Mail to ${mail.to} queued again.`;
      await this.list.load({ keep: true });
    } catch (error) {
      this.list.fail(error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-outbox-page': OutboxPage;
  }
}
