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

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route')) {
      this.customer = null;
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
      return this.error
        ? html`<h1 tabindex="-1">Customer</h1>
            <p class="error" role="alert">${this.error}</p>
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
}

declare global {
  interface HTMLElementTagNameMap {
    't0-customer-view': CustomerViewPage;
  }
}
