import { html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type SearchResults } from '../api.js';
import { capitalize, when } from '../format.js';
import { PageElement } from '../page.js';
import { searchForm } from '../parts.js';

/** One search across chats (their text, the verified email), tickets (number, requester, text) and customers. */
@customElement('t0-search-page')
export class SearchPage extends PageElement {
  @state() private results: SearchResults | null = null;
  @state() private error = '';
  @state() private loading = false;
  private generation = 0;

  private get query(): string {
    return (this.route.query.get('q') ?? '').trim();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route')) void this.search();
  }

  private async search(): Promise<void> {
    const generation = ++this.generation;
    this.results = null;
    this.error = '';
    if (!this.query) return;
    this.loading = true;
    try {
      const results = await api.admin.inbox.search.query({ query: this.query });
      if (generation === this.generation) this.results = results;
    } catch (error) {
      if (generation === this.generation) this.error = this.problem(error);
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  override render() {
    const r = this.results;
    const total = r ? r.chats.length + r.tickets.length + r.customers.length : 0;
    return html`
      <h1 tabindex="-1">Search</h1>
      ${searchForm(this.query)}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div role="status" aria-live="polite">
        ${this.loading
          ? html`<p>Searching…</p>`
          : r
            ? html`<p class="muted">${total ? `${total} found for “${this.query}”.` : `Nothing found for “${this.query}”.`}</p>`
            : !this.query
              ? html`<p class="muted">Search chats by a word of their text or the visitor's email, tickets by number, requester or text, and customers by email, name or reference.</p>`
              : nothing}
      </div>
      ${r?.chats.length
        ? html`<h2 id="found-chats">Chats</h2>
            <ul class="cards" aria-labelledby="found-chats">
              ${r.chats.map(
                (chat) => html`<li>
                  <a class="card" href="/admin/chats/${chat.sessionId}">
                    <span class="card-title">${chat.subject}</span>
                    <span class="card-line muted">Last activity ${when(chat.lastActivityAt)}</span>
                    ${chat.excerpt ? html`<span class="preview">${chat.excerpt}</span>` : nothing}
                  </a>
                </li>`,
              )}
            </ul>`
        : nothing}
      ${r?.tickets.length
        ? html`<h2 id="found-tickets">Tickets</h2>
            <ul class="cards" aria-labelledby="found-tickets">
              ${r.tickets.map(
                (ticket) => html`<li>
                  <a class="card" href="/admin/tickets/${ticket.id}">
                    <span class="card-title">#${ticket.id} ${ticket.subject}</span>
                    <span class="card-line">
                      <span class="badge ${ticket.status}">${capitalize(ticket.status)}</span>
                      <span class="muted">${ticket.requesterEmail ?? 'no requester'}</span>
                      <span class="muted">Updated ${when(ticket.updatedAt)}</span>
                    </span>
                    ${ticket.excerpt ? html`<span class="preview">${ticket.excerpt}</span>` : nothing}
                  </a>
                </li>`,
              )}
            </ul>`
        : nothing}
      ${r?.customers.length
        ? html`<h2 id="found-customers">Customers</h2>
            <ul class="cards" aria-labelledby="found-customers">
              ${r.customers.map(
                (customer) => html`<li>
                  <a class="card" href="/admin/customers/${customer.id}">
                    <span class="card-title">${customer.name ?? customer.email}</span>
                    <span class="card-line muted">
                      <span>${customer.email}</span>
                      ${customer.externalId ? html`<span>Reference ${customer.externalId}</span>` : nothing}
                    </span>
                  </a>
                </li>`,
              )}
            </ul>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-search-page': SearchPage;
  }
}
