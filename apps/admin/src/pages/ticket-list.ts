import { html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type LiveEvent, type TicketSummary } from '../api.js';
import { PRIORITIES, REASON_LABELS, STATUSES, capitalize, when } from '../format.js';
import { navigate } from '../router.js';
import { PageElement } from '../page.js';
import { PagedList } from '../paged-list.js';
import { TicketForm } from '../ticket-form.js';

const VIEWS = [
  ['queue', 'Mine & unassigned'],
  ['mine', 'Mine'],
  ['unassigned', 'Unassigned'],
  ['all', 'All'],
] as const;
type View = (typeof VIEWS)[number][0];
type Status = (typeof STATUSES)[number];

/** The email-ticket queue: mine / unassigned / all, by status. */
@customElement('t0-ticket-list')
export class TicketListPage extends PageElement {
  private readonly list = new PagedList(this, (page) =>
    api.admin.tickets.list.query({ view: this.view, status: this.status, ...page }),
  );
  @state() private creating = false;
  private readonly ticketForm = new TicketForm(this, (form) => ({
    priority: PRIORITIES.find((p) => p === form.get('priority')) ?? 'normal',
  }));

  private get view(): View {
    const value = this.route.query.get('view');
    // Opens on the operator's own and the unassigned tickets: an escalation nobody took stays in sight.
    return VIEWS.some(([key]) => key === value) ? (value as View) : 'queue';
  }

  private get status(): Status | undefined {
    const value = this.route.query.get('status');
    return STATUSES.includes(value as Status) ? (value as Status) : undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route')) void this.list.load();
  }

  /** `n`: the row after the open one, in the list beside it. */
  protected override onShortcut(key: string): void {
    if (key !== 'n' || !this.compact) return;
    const ids = this.list.items.map((t) => String(t.id));
    const next = ids[ids.indexOf(this.selected ?? '') + 1];
    if (next) navigate(`/tickets/${next}`);
  }

  protected override onCatchUp(): void {
    void this.list.load({ keep: true });
  }

  protected override onLive(event: LiveEvent): void {
    if (event.type === 'ticket') this.refreshSoon(() => void this.list.load({ keep: true }));
  }

  private href(view: View, status: Status | undefined): string {
    const query = new URLSearchParams({ view });
    if (status) query.set('status', status);
    return `/admin/tickets?${query}`;
  }

  override render() {
    return html`
      ${this.compact
        ? html`<h2 class="pane-title">Tickets</h2>`
        : html`<div class="row">
            <h1 tabindex="-1">Tickets</h1>
          </div>`}
      <nav aria-label="Ticket views">
        <ul class="tabs">
          ${VIEWS.map(
            ([key, label]) =>
              html`<li><a href=${this.href(key, this.status)} aria-current=${this.view === key ? 'page' : nothing}>${label}</a></li>`,
          )}
        </ul>
      </nav>
      ${this.compact
        ? nothing
        : html`<div class="row">
        <div class="field">
          <label for="status-filter">Status</label>
          <select id="status-filter" @change=${this.pickStatus}>
            <option value="" ?selected=${!this.status}>Any status</option>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${this.status === s}>${capitalize(s)}</option>`)}
          </select>
        </div>
        <button class="secondary" @click=${() => (this.creating = !this.creating)} aria-expanded=${this.creating}>
          New ticket
        </button>
      </div>`}
      ${this.creating ? this.form() : nothing}
      ${this.list.renderError()}
      ${this.list.render({
        loading: 'Loading tickets…',
        rows: (tickets) => html`<ul class="cards" aria-label="Tickets">${tickets.map((t) => this.row(t))}</ul>`,
        more: 'Show older tickets',
        empty: () => this.empty(),
      })}
    `;
  }

  private pickStatus(event: Event): void {
    const value = (event.target as HTMLSelectElement).value as Status | '';
    navigate(this.href(this.view, value || undefined));
  }

  private empty() {
    const what =
      this.view === 'mine'
        ? 'assigned to you'
        : this.view === 'unassigned'
          ? 'waiting for someone'
          : this.view === 'queue'
            ? 'assigned to you or waiting for someone'
            : 'yet';
    return html`<p class="empty">No ${this.status ? `${this.status} ` : ''}tickets ${what}.
      ${this.view !== 'all' ? html`<a href=${this.href('all', this.status)}>See all tickets</a>.` : nothing}</p>`;
  }

  private row(t: TicketSummary) {
    return html`<li>
      <a class="card ${t.unread ? 'unread' : ''}" href="/admin/tickets/${t.id}"
        aria-current=${this.selected === String(t.id) ? 'page' : nothing}>
        <span class="card-title">${t.unread ? html`<span class="badge unread">Unread</span> ` : nothing}#${t.id} ${t.subject}</span>
        <span class="card-line">
          <span class="badge ${t.status}">${capitalize(t.status)}</span>
          ${t.priority !== 'normal' ? html`<span class="badge ${t.priority}">${capitalize(t.priority)}</span>` : nothing}
          ${t.escalationReason ? html`<span class="badge escalated">${REASON_LABELS[t.escalationReason] ?? t.escalationReason}</span>` : nothing}
          ${t.tags.map((tag) => html`<span class="badge">${tag}</span>`)}
        </span>
        <span class="card-line muted">
          <span>${t.requesterEmail ?? 'no requester'}</span>
          <span>${t.assignee ? `Assigned to ${t.assignee.name}` : 'Unassigned'}</span>
          <span>Updated ${when(t.updatedAt)}</span>
        </span>
      </a>
    </li>`;
  }

  private form() {
    const form = this.ticketForm;
    return html`<form class="card" @submit=${form.submit} novalidate aria-labelledby="new-ticket">
      <h2 id="new-ticket">New email ticket</h2>
      ${form.renderError()}
      <div class="field">
        <label for="new-requester">Customer email</label>
        <input id="new-requester" name="requesterEmail" type="email" required />
        ${form.fields.requesterEmail ? html`<p class="field-error">${form.fields.requesterEmail}</p>` : nothing}
      </div>
      <div class="field">
        <label for="new-subject">Subject</label>
        <input id="new-subject" name="subject" required />
        ${form.fields.subject ? html`<p class="field-error">${form.fields.subject}</p>` : nothing}
      </div>
      <div class="field">
        <label for="new-priority">Priority</label>
        <select id="new-priority" name="priority">
          ${PRIORITIES.map((p) => html`<option value=${p} ?selected=${p === 'normal'}>${capitalize(p)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="new-summary">Summary (optional)</label>
        <textarea id="new-summary" name="summary"></textarea>
      </div>
      <div class="row">
        <button type="submit" ?disabled=${form.busy}>Create ticket</button>
        <button type="button" class="secondary" @click=${() => (this.creating = false)}>Cancel</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-ticket-list': TicketListPage;
  }
}
