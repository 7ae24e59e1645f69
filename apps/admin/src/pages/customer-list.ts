import { html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type CustomerSummary } from '../api.js';
import { full } from '../format.js';
import { navigate } from '../router.js';
import { PageElement } from '../page.js';

/** The people the business knows (imported customer records), searchable by email or name. */
@customElement('t0-customer-list')
export class CustomerListPage extends PageElement {
  @state() private items: CustomerSummary[] = [];
  @state() private nextCursor: string | null = null;
  @state() private loading = true;
  @state() private error = '';

  private get query(): string {
    return this.route.query.get('q')?.trim() ?? '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route')) void this.load();
  }

  private async load(): Promise<void> {
    this.loading = true;
    try {
      const page = await api.admin.customers.list.query({ ...(this.query ? { query: this.query } : {}) });
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.error = '';
    } catch (error) {
      this.error = this.problem(error);
    } finally {
      this.loading = false;
    }
  }

  private async more(): Promise<void> {
    if (!this.nextCursor) return;
    try {
      const page = await api.admin.customers.list.query({ ...(this.query ? { query: this.query } : {}), cursor: this.nextCursor });
      this.items = [...this.items, ...page.items];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      this.error = this.problem(error);
    }
  }

  private search(event: SubmitEvent): void {
    event.preventDefault();
    const q = String(new FormData(event.target as HTMLFormElement).get('q') ?? '').trim();
    navigate(q ? `/customers?${new URLSearchParams({ q })}` : '/customers');
  }

  override render() {
    return html`
      <h1 tabindex="-1">Customers</h1>
      <form role="search" aria-label="Search customers" @submit=${this.search}>
        <div class="field">
          <label for="customer-search">Search by email, name or external id</label>
          <input id="customer-search" name="q" type="search" .value=${this.query} autocomplete="off" />
        </div>
        <button type="submit">Search</button>
        ${this.query ? html`<a class="button secondary" href="/admin/customers">Show everyone</a>` : nothing}
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error} <button class="secondary" @click=${() => void this.load()}>Try again</button></p>` : nothing}
      ${this.loading ? html`<p role="status">Loading customers…</p>` : this.list()}
    `;
  }

  private list() {
    if (!this.items.length) {
      if (this.error) return nothing;
      return html`<p class="empty" role="status">
        ${this.query
          ? `No customer matches “${this.query}”.`
          : 'No customers yet. Import them with npm run import:customers -- customers.json (or .csv).'}
      </p>`;
    }
    return html`
      <ul class="cards" aria-label="Customers">
        ${this.items.map(
          (customer) => html`<li>
            <a class="card" href="/admin/customers/${customer.id}">
              <span class="card-title">${customer.name ?? customer.email}</span>
              <span class="card-line muted">
                ${customer.name ? html`<span>${customer.email}</span>` : nothing}
                ${customer.externalId ? html`<span>External id ${customer.externalId}</span>` : nothing}
                <span>Added ${full(customer.createdAt)}</span>
              </span>
            </a>
          </li>`,
        )}
      </ul>
      ${this.nextCursor ? html`<p><button class="secondary" @click=${() => void this.more()}>Show more customers</button></p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-customer-list': CustomerListPage;
  }
}
