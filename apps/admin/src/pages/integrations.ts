import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type Outputs } from '../api.js';
import { capitalize, when } from '../format.js';
import { PageElement } from '../page.js';
import { adminNav } from '../admin-nav.js';

type Endpoint = Outputs['webhooks']['list'][number];
type Delivery = Outputs['webhooks']['deliveries'][number];
type Blocked = Outputs['mail']['blockedSenders'][number];

const EVENTS = ['ticket.created', 'ticket.updated', 'ticket.message_created', 'chat.escalated', 'chat.feedback'] as const;

/** Webhook endpoints with their delivery log, and the senders whose mail opens no ticket. */
@customElement('t0-integrations-page')
export class IntegrationsPage extends PageElement {
  @state() private endpoints: Endpoint[] = [];
  @state() private blocked: Blocked[] = [];
  @state() private deliveries = new Map<number, Delivery[]>();
  /** The secret of the endpoint just created: shown this once. */
  @state() private secret: { endpointId: number; value: string } | null = null;
  @state() private error = '';
  @state() private notice = '';

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.isAdmin) void this.load();
  }

  private async load(): Promise<void> {
    try {
      [this.endpoints, this.blocked] = await Promise.all([api.admin.webhooks.list.query(), api.admin.mail.blockedSenders.query()]);
    } catch (error) {
      this.error = this.problem(error);
    }
  }

  override render() {
    if (!this.isAdmin) {
      return html`<h1 tabindex="-1">Integrations</h1>
        <p class="error" role="alert">Only an admin or owner can manage webhooks and the block list.</p>`;
    }
    return html`
      ${adminNav('integrations')}
      <h1 tabindex="-1">Integrations</h1>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <h2>Webhooks</h2>
      <p class="hint">Events are posted as signed JSON (see the README for checking the signature); failures are retried with backoff.</p>
      ${this.secret
        ? html`<p class="notice" role="alert">
            Signing secret for endpoint #${this.secret.endpointId} — copy it now, it is not shown again:
            <code>${this.secret.value}</code>
          </p>`
        : nothing}
      <ul class="cards" aria-label="Webhook endpoints">
        ${this.endpoints.map((endpoint) => this.endpoint(endpoint))}
      </ul>
      ${this.endpoints.length ? nothing : html`<p class="empty">No endpoints yet.</p>`}
      <form @submit=${this.create} novalidate>
        <h3>Add an endpoint</h3>
        <div class="field">
          <label for="webhook-url">URL</label>
          <input id="webhook-url" name="url" type="url" required placeholder="https://hooks.example.com/ticket0" />
        </div>
        <fieldset class="field">
          <legend>Events</legend>
          ${EVENTS.map(
            (event) => html`<div class="row">
              <input id="event-${event}" name="events" type="checkbox" value=${event} checked />
              <label for="event-${event}">${event}</label>
            </div>`,
          )}
        </fieldset>
        <button type="submit">Add endpoint</button>
      </form>

      <h2>Blocked senders</h2>
      <p class="hint">Mail from these addresses (or @domains) is kept but opens no ticket and gets no answer.</p>
      <ul class="cards" aria-label="Blocked senders">
        ${this.blocked.map(
          (b) => html`<li class="card row">
            <span>${b.pattern}</span>
            <button type="button" class="secondary" @click=${() => this.unblock(b)}>Remove</button>
          </li>`,
        )}
      </ul>
      <form @submit=${this.block} novalidate class="row">
        <label for="block-pattern">Address or @domain</label>
        <input id="block-pattern" name="pattern" required placeholder="@spam.example.com" />
        <button type="submit">Block</button>
      </form>
    `;
  }

  private endpoint(endpoint: Endpoint) {
    const log = this.deliveries.get(endpoint.id);
    return html`<li class="card">
      <div class="card-title">${endpoint.url}</div>
      <div class="card-line">
        <span class="badge ${endpoint.enabled ? 'sent' : ''}">${endpoint.enabled ? 'Enabled' : 'Paused'}</span>
        <span class="muted">${endpoint.events.join(', ')}</span>
      </div>
      <div class="row">
        <button type="button" @click=${() => this.sendTest(endpoint)}>Send test event</button>
        <button type="button" class="secondary" @click=${() => this.toggle(endpoint)}>${endpoint.enabled ? 'Pause' : 'Resume'}</button>
        <button type="button" class="secondary" @click=${() => this.showLog(endpoint)}>Delivery log</button>
        <button type="button" class="secondary" @click=${() => this.deleteEndpoint(endpoint)}>Delete</button>
      </div>
      ${log
        ? log.length
          ? html`<table>
              <thead><tr><th>Event</th><th>Status</th><th>HTTP</th><th>Attempts</th><th>When</th><th>Error</th></tr></thead>
              <tbody>
                ${log.map(
                  (d) => html`<tr>
                    <td>${d.event}</td>
                    <td><span class="badge ${d.status === 'delivered' ? 'sent' : d.status}">${capitalize(d.status)}</span></td>
                    <td>${d.lastStatus ?? '—'}</td>
                    <td>${d.attempts}</td>
                    <td>${when(d.deliveredAt ?? d.createdAt)}</td>
                    <td>${d.lastError ?? ''}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="empty">Nothing delivered yet.</p>`
        : nothing}
    </li>`;
  }

  private async run(action: () => Promise<unknown>, notice: string): Promise<void> {
    this.error = '';
    try {
      await action();
      this.notice = notice;
      await this.load();
    } catch (error) {
      this.error = this.problem(error);
    }
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const events = data.getAll('events').map(String) as Array<(typeof EVENTS)[number]>;
    await this.run(async () => {
      const { endpoint, secret } = await api.admin.webhooks.create.mutate({ url: String(data.get('url') ?? ''), events });
      this.secret = { endpointId: endpoint.id, value: secret };
      form.reset();
    }, 'Endpoint added.');
  }

  private sendTest(endpoint: Endpoint): Promise<void> {
    return this.run(async () => {
      await api.admin.webhooks.sendTest.mutate({ id: endpoint.id });
      await this.showLog(endpoint);
    }, 'Test event queued.');
  }

  private toggle(endpoint: Endpoint): Promise<void> {
    return this.run(() => api.admin.webhooks.update.mutate({ id: endpoint.id, enabled: !endpoint.enabled }), endpoint.enabled ? 'Paused.' : 'Resumed.');
  }

  private deleteEndpoint(endpoint: Endpoint): Promise<void> {
    if (!confirm(`Delete the endpoint ${endpoint.url} and its delivery log?`)) return Promise.resolve();
    return this.run(() => api.admin.webhooks.delete.mutate({ id: endpoint.id }), 'Endpoint deleted.');
  }

  private async showLog(endpoint: Endpoint): Promise<void> {
    try {
      const log = await api.admin.webhooks.deliveries.query({ endpointId: endpoint.id });
      this.deliveries = new Map(this.deliveries).set(endpoint.id, log);
    } catch (error) {
      this.error = this.problem(error);
    }
  }

  private async block(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const pattern = String(new FormData(form).get('pattern') ?? '');
    await this.run(async () => {
      await api.admin.mail.block.mutate({ pattern });
      form.reset();
    }, `${pattern} blocked.`);
  }

  private unblock(blocked: Blocked): Promise<void> {
    return this.run(() => api.admin.mail.unblock.mutate({ id: blocked.id }), `${blocked.pattern} removed.`);
  }
}
