import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type Settings } from '../api.js';
import { PRIORITIES, REASON_LABELS, capitalize } from '../format.js';
import { PageElement } from '../page.js';
import { adminNav } from '../admin-nav.js';

type Priority = (typeof PRIORITIES)[number];

/** Auto-assign, what each escalation reason does to a ticket, and the sites allowed to embed. */
@customElement('t0-settings-page')
export class SettingsPage extends PageElement {
  @state() private settings: Settings | null = null;
  @state() private error = '';
  @state() private notice = '';
  @state() private saving = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.settings = await api.admin.settings.get.query();
    } catch (error) {
      this.error = this.problem(error);
    }
  }

  override render() {
    if (!this.isAdmin) {
      return html`<h1 tabindex="-1">Settings</h1>
        <p class="error" role="alert">Only an admin or owner can change settings.</p>`;
    }
    const s = this.settings;
    return html`
      ${adminNav('settings')}
      <h1 tabindex="-1">Settings</h1>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${!s
        ? this.error
          ? nothing
          : html`<p role="status">Loading settings…</p>`
        : html`<form @submit=${this.save} novalidate>
            <h2>Assignment</h2>
            <div class="field row">
              <input id="auto-assign" name="autoAssign" type="checkbox" ?checked=${s.autoAssign} aria-describedby="auto-assign-hint" />
              <label for="auto-assign">Assign escalated tickets automatically</label>
            </div>
            <p class="hint" id="auto-assign-hint">
              To the available operator with the fewest open and pending tickets, below their capacity.
            </p>

            <h2>Escalation reasons</h2>
            <p class="hint">Tags (comma-separated) and priority given to the email ticket an escalation creates.</p>
            <ul class="cards">
              ${Object.entries(s.reasonMap).map(
                ([code, rule]) => html`<li class="card">
                  <div class="card-title" id="reason-${code}">${REASON_LABELS[code] ?? code} <span class="muted">(${code})</span></div>
                  <div class="row">
                    <div class="field">
                      <label for="tags-${code}">Tags</label>
                      <input id="tags-${code}" name="tags-${code}" .value=${rule.tags.join(', ')} />
                    </div>
                    <div class="field">
                      <label for="priority-${code}">Priority</label>
                      <select id="priority-${code}" name="priority-${code}">
                        ${PRIORITIES.map((p) => html`<option value=${p} ?selected=${rule.priority === p}>${capitalize(p)}</option>`)}
                      </select>
                    </div>
                  </div>
                </li>`,
              )}
            </ul>

            <h2>Allowed origins</h2>
            <div class="field">
              <label for="origins">Sites allowed to embed the widget (one per line)</label>
              <textarea id="origins" name="origins" aria-describedby="origins-hint" .value=${s.allowedOrigins.join('\n')}></textarea>
              <p class="hint" id="origins-hint">
                Such as https://shop.example.com. Always allowed (from the server's configuration):
                ${s.configuredOrigins.join(', ')}.
              </p>
            </div>

            <h2>Privacy</h2>
            <div class="field">
              <label for="retention-days">Delete chats after (days)</label>
              <input id="retention-days" name="retentionDays" type="number" min="1" max="36500" inputmode="numeric" aria-describedby="retention-hint" .value=${s.retentionDays === null ? '' : String(s.retentionDays)} />
              <p class="hint" id="retention-hint">Chats quiet for longer are deleted with every message, checked every minute. Empty: chats are kept.</p>
            </div>

            <h2>Widget</h2>
            <p class="hint">How the chat presents itself on every site. Leave a field empty for the default; a site's own attributes win.</p>
            <div class="field">
              <label for="brand-name">Brand name</label>
              <input id="brand-name" name="brandName" maxlength="60" aria-describedby="brand-name-hint" .value=${s.appearance.brandName ?? ''} />
              <p class="hint" id="brand-name-hint">Shown in the widget's header and named in its mails. Default: the site's host name.</p>
            </div>
            <div class="field">
              <label for="accent-color">Accent colour</label>
              <input id="accent-color" name="accentColor" type="color" .value=${s.appearance.accentColor ?? '#2563eb'} />
            </div>
            <div class="field">
              <label for="greeting">Greeting</label>
              <textarea id="greeting" name="greeting" maxlength="300" aria-describedby="greeting-hint" .value=${s.appearance.greeting ?? ''}></textarea>
              <p class="hint" id="greeting-hint">The assistant's first message. Default: a short greeting in the visitor's language.</p>
            </div>
            <div class="field">
              <label for="assistant-label">AI label</label>
              <input id="assistant-label" name="assistantLabel" maxlength="40" aria-describedby="assistant-label-hint" .value=${s.appearance.assistantLabel ?? ''} />
              <p class="hint" id="assistant-label-hint">
                How the widget tells visitors they are talking to an AI. Default: "AI assistant" in the visitor's language.
              </p>
            </div>
            <button type="submit" ?disabled=${this.saving}>${this.saving ? 'Saving…' : 'Save settings'}</button>
          </form>`}
    `;
  }

  private async save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const reasonMap: Record<string, { tags: string[]; priority: Priority }> = {};
    for (const code of Object.keys(this.settings!.reasonMap)) {
      reasonMap[code] = {
        tags: String(form.get(`tags-${code}`) ?? '')
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean),
        priority: String(form.get(`priority-${code}`)) as Priority,
      };
    }
    const origins = String(form.get('origins') ?? '')
      .split(/[\n,]/)
      .map((line) => line.trim())
      .filter(Boolean);
    this.saving = true;
    this.notice = '';
    this.error = '';
    try {
      this.settings = await api.admin.settings.update.mutate({
        autoAssign: form.get('autoAssign') === 'on',
        reasonMap: reasonMap as Settings['reasonMap'],
        allowedOrigins: origins,
        retentionDays: String(form.get('retentionDays') ?? '').trim() ? Number(form.get('retentionDays')) : null,
        appearance: {
          brandName: String(form.get('brandName') ?? ''),
          // The colour picker always has a value: the default colour stores as "not set".
          accentColor: form.get('accentColor') === '#2563eb' && !this.settings!.appearance.accentColor ? null : String(form.get('accentColor')),
          greeting: String(form.get('greeting') ?? ''),
          assistantLabel: String(form.get('assistantLabel') ?? ''),
        },
      });
      this.notice = 'Settings saved.';
    } catch (error) {
      this.error = this.problem(error);
    } finally {
      this.saving = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-settings-page': SettingsPage;
  }
}
