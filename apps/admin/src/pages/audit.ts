import { html, nothing, type PropertyValues } from 'lit';
import { customElement } from 'lit/decorators.js';
import { api, type AuditEntry } from '../api.js';
import { full, when } from '../format.js';
import { navigate } from '../router.js';
import { PageElement } from '../page.js';
import { PagedList } from '../paged-list.js';
import { adminNav } from '../admin-nav.js';

const ACTIONS: Record<AuditEntry['action'], string> = {
  customer_exported: 'Customer exported',
  customer_erased: 'Customer erased',
  conversation_deleted: 'Chat deleted by its visitor',
  retention_deleted: 'Chats deleted by retention',
  identity_refused: 'Signed identity refused',
};

/** The privacy audit trail: every export, erasure, deleted chat and refused signed identity. */
@customElement('t0-audit-page')
export class AuditPage extends PageElement {
  private readonly list = new PagedList(this, (page) => api.admin.audit.list.query({ action: this.action, ...page }));

  private get action(): AuditEntry['action'] | undefined {
    const value = this.route.query.get('action');
    return value && value in ACTIONS ? (value as AuditEntry['action']) : undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route') && this.isAdmin) void this.list.load();
  }

  override render() {
    if (!this.isAdmin) {
      return html`<h1 tabindex="-1">Audit</h1>
        <p class="error" role="alert">Only an admin or owner can see the audit trail.</p>`;
    }
    return html`
      ${adminNav('audit')}
      <h1 tabindex="-1">Audit</h1>
      <p class="hint">Exports and erasures of customer data, deleted chats and refused signed identities. An erased customer's entries keep only who acted and when.</p>
      ${this.list.renderError()}
      <div class="field">
        <label for="audit-action">Action</label>
        <select id="audit-action" @change=${this.pick}>
          <option value="" ?selected=${!this.action}>Any action</option>
          ${Object.entries(ACTIONS).map(([value, label]) => html`<option value=${value} ?selected=${this.action === value}>${label}</option>`)}
        </select>
      </div>
      ${this.list.render({
        loading: 'Loading the audit trail…',
        rows: (entries) => html`<ul class="cards" aria-label="Audit entries">${entries.map((entry) => this.entry(entry))}</ul>`,
        more: 'Show older entries',
        empty: () => html`<p class="empty">Nothing recorded yet.</p>`,
      })}
    `;
  }

  private pick(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    navigate(value ? `/audit?action=${value}` : '/audit');
  }

  private entry(entry: AuditEntry) {
    return html`<li class="card">
      <div class="card-title">${ACTIONS[entry.action]}</div>
      <div class="card-line">
        <span title=${full(entry.createdAt)}>${when(entry.createdAt)}</span>
        <span>By ${entry.operator ? `${entry.operator.name} (${entry.operator.email})` : 'the visitor or the server'}</span>
        ${entry.subject ? html`<span class="muted">${entry.subject}</span>` : nothing}
        ${entry.detail ? html`<span class="muted">${entry.detail}</span>` : nothing}
      </div>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-audit-page': AuditPage;
  }
}
