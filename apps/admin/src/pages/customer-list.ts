import { html, nothing, type PropertyValues } from 'lit';
import { customElement } from 'lit/decorators.js';
import { api } from '../api.js';
import { full } from '../format.js';
import { navigate } from '../router.js';
import { PageElement } from '../page.js';
import { PagedList } from '../paged-list.js';

/** The people the business knows (imported customer records), searchable by email or name. */
@customElement('t0-customer-list')
export class CustomerListPage extends PageElement {
  private readonly list = new PagedList(this, (page) =>
    api.admin.customers.list.query({ ...(this.query ? { query: this.query } : {}), ...page }),
  );

  private get query(): string {
    return this.route.query.get('q')?.trim() ?? '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route')) void this.list.load();
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
      ${this.list.renderError()}
      ${this.list.render({
        loading: 'Loading customers…',
        rows: (customers) => html`<ul class="cards" aria-label="Customers">
          ${customers.map(
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
        </ul>`,
        more: 'Show more customers',
        empty: () => html`<p class="empty" role="status">
          ${this.query
            ? `No customer matches “${this.query}”.`
            : 'No customers yet. Import them with npm run import:customers -- customers.json (or .csv).'}
        </p>`,
      })}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-customer-list': CustomerListPage;
  }
}
