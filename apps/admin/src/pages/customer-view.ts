import { html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type CustomerDetail } from '../api.js';
import { capitalize, full, when } from '../format.js';
import { PageElement } from '../page.js';

/** One customer: who they are, what the shop knows (metadata), their tickets and verified chats. */
@customElement('t0-customer-view')
export class CustomerViewPage extends PageElement {
  @state() private customer: CustomerDetail | null = null;
  @state() private error = '';
  @state() private notice = '';
  @state() private busy = false;
  /** Erasing asks to type the email first: it cannot be undone. */
  @state() private confirmingErase = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route')) {
      this.customer = null;
      this.notice = '';
      void this.load();
    }
  }

  private async load(): Promise<void> {
    const id = Number(this.route.id);
    if (!Number.isInteger(id) || id <= 0) {
      this.error = 'This is not a customer number.';
      return;
    }
    try {
      this.customer = await api.admin.customers.get.query({ id });
      this.error = '';
    } catch (error) {
      this.error = this.problem(error);
    }
  }

  override render() {
    const c = this.customer;
    if (!c) {
      return this.error || this.notice
        ? html`<h1 tabindex="-1">Customer</h1>
            ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : html`<p class="notice" role="status">${this.notice}</p>`}
            <p><a href="/admin/customers">Back to customers</a></p>`
        : html`<p role="status">Loading the customer…</p>`;
    }
    const metadata = Object.entries(c.metadata);
    return html`
      <p><a href="/admin/customers">← Customers</a></p>
      <h1 tabindex="-1">${c.name ?? c.email}</h1>
      <dl class="facts">
        <dt>Email</dt>
        <dd>${c.email}</dd>
        <dt>Name</dt>
        <dd>${c.name ?? html`<span class="muted">unknown</span>`}</dd>
        <dt>External id</dt>
        <dd>${c.externalId ?? html`<span class="muted">none</span>`}</dd>
        <dt>Added</dt>
        <dd>${full(c.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>${full(c.updatedAt)}</dd>
      </dl>
      <h2 id="metadata">Metadata</h2>
      ${metadata.length
        ? html`<dl class="facts" aria-labelledby="metadata">
            ${metadata.map(([key, value]) => html`<dt>${key}</dt><dd>${value}</dd>`)}
          </dl>`
        : html`<p class="muted">No metadata.</p>`}
      <p class="hint">A chat verified with this address lets the assistant use this profile and the five most recent tickets.</p>
      <h2 id="tickets">Email tickets</h2>
      ${c.tickets.length
        ? html`<ul class="cards" aria-labelledby="tickets">
            ${c.tickets.map(
              (t) => html`<li>
                <a class="card" href="/admin/tickets/${t.id}">
                  <span class="card-title">#${t.id} ${t.subject}</span>
                  <span class="card-line"
                    ><span class="badge ${t.status}">${capitalize(t.status)}</span><span class="muted">Updated ${when(t.updatedAt)}</span></span
                  >
                </a>
              </li>`,
            )}
          </ul>`
        : html`<p class="empty">No email tickets.</p>`}
      ${this.isAdmin ? this.privacy(c) : nothing}
      <h2 id="chats">Chats verified as ${c.email}</h2>
      ${c.chats.length
        ? html`<ul class="cards" aria-labelledby="chats">
            ${c.chats.map(
              (chat) => html`<li>
                <a class="card" href="/admin/chats/${chat.sessionId}">
                  <span class="card-title">${chat.subject}</span>
                  <span class="card-line muted">
                    ${chat.verifiedAt ? html`<span>Verified ${when(chat.verifiedAt)}</span>` : nothing}
                    <span>Last activity ${when(chat.lastActivityAt)}</span>
                  </span>
                </a>
              </li>`,
            )}
          </ul>`
        : html`<p class="empty">No chat has verified this address yet.</p>`}
    `;
  }

  /** Export and erase: a customer's right to their data, for admins. */
  private privacy(c: CustomerDetail) {
    return html`<h2>Data</h2>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      <p class="row">
        <button class="secondary" ?disabled=${this.busy} @click=${() => void this.exportData(c)}>Export everything (JSON)</button>
        <button class="secondary danger" ?disabled=${this.busy} @click=${() => (this.confirmingErase = true)}>Erase this customer…</button>
      </p>
      ${this.confirmingErase
        ? html`<form class="card" @submit=${(event: SubmitEvent) => void this.erase(event, c)}>
            <p>This deletes ${c.email}, every chat verified as them, their email tickets with every message, their codes and mail. It cannot be undone.</p>
            <div class="field">
              <label for="erase-confirm">Type the email address to confirm</label>
              <input id="erase-confirm" name="confirm" autocomplete="off" />
            </div>
            <p class="row">
              <button type="submit" class="danger" ?disabled=${this.busy}>Erase for good</button>
              <button type="button" class="secondary" @click=${() => (this.confirmingErase = false)}>Cancel</button>
            </p>
          </form>`
        : nothing}`;
  }

  private async exportData(c: CustomerDetail): Promise<void> {
    this.busy = true;
    try {
      const data = await api.admin.customers.export.mutate({ id: c.id });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      link.download = `customer-${c.id}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      this.notice = `Exported ${c.email}.`;
    } catch (error) {
      this.error = this.problem(error);
    } finally {
      this.busy = false;
    }
  }

  private async erase(event: SubmitEvent, c: CustomerDetail): Promise<void> {
    event.preventDefault();
    const typed = String(new FormData(event.target as HTMLFormElement).get('confirm') ?? '').trim().toLowerCase();
    if (typed !== c.email) {
      this.notice = 'Type the customer’s email address exactly to erase them.';
      return;
    }
    this.busy = true;
    try {
      const { chats, tickets } = await api.admin.customers.erase.mutate({ id: c.id });
      this.customer = null;
      this.notice = `Erased: the customer, ${chats} ${chats === 1 ? 'chat' : 'chats'} and ${tickets} ${tickets === 1 ? 'ticket' : 'tickets'}.`;
    } catch (error) {
      this.error = this.problem(error);
    } finally {
      this.busy = false;
      this.confirmingErase = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-customer-view': CustomerViewPage;
  }
}
