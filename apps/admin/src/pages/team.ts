import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, fieldErrors, type TeamMember } from '../api.js';
import { T0OperatorChangedEvent } from '../events.js';
import { full } from '../format.js';
import { PageElement } from '../page.js';

const ROLES = ['member', 'admin', 'owner'] as const;
type Role = (typeof ROLES)[number];

/** Operators: everyone sees the team; admins add members and edit them, owners everyone. */
@customElement('t0-team-page')
export class TeamPage extends PageElement {
  @state() private team: TeamMember[] = [];
  @state() private loading = true;
  @state() private error = '';
  @state() private notice = '';
  @state() private formError = '';
  @state() private formFields: Record<string, string> = {};
  @state() private generated: { email: string; password: string } | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.team = await api.admin.team.list.query();
      this.error = '';
    } catch (error) {
      this.error = this.problem(error);
    } finally {
      this.loading = false;
    }
  }

  /** Roles this operator may hand out: admins give member only, owners any. */
  private get assignableRoles(): readonly Role[] {
    return this.operator.role === 'owner' ? ROLES : ['member'];
  }

  private canEdit(member: TeamMember): boolean {
    if (this.operator.role === 'owner') return true;
    return this.operator.role === 'admin' && (member.role === 'member' || member.id === this.operator.id);
  }

  override render() {
    return html`
      <h1 tabindex="-1">Team</h1>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.generated
        ? html`<div class="notice" role="alert">
            <p><strong>${this.generated.email}</strong> can sign in with this password, shown only now:</p>
            <p><code>${this.generated.password}</code></p>
            <button class="secondary" @click=${() => (this.generated = null)}>I have passed it on</button>
          </div>`
        : nothing}
      ${this.loading
        ? html`<p role="status">Loading the team…</p>`
        : this.team.length
          ? html`<ul class="cards" aria-label="Operators">${this.team.map((m) => this.member(m))}</ul>`
          : html`<p class="empty">No operators.</p>`}
      ${this.isAdmin ? this.addForm() : nothing}
    `;
  }

  private member(m: TeamMember) {
    const editable = this.isAdmin && this.canEdit(m);
    const id = `op-${m.id}`;
    return html`<li class="card">
      <div class="card-title">${m.name}${m.id === this.operator.id ? ' (you)' : ''}</div>
      <div class="card-line muted">
        <span>${m.email}</span><span>Joined ${full(m.joinedAt)}</span><span>${m.openTickets} open or pending</span>
      </div>
      ${editable
        ? html`<form class="row" @submit=${(event: SubmitEvent) => this.save(event, m)} aria-label="Edit ${m.name}">
            <div class="field">
              <label for="${id}-role">Role</label>
              <select id="${id}-role" name="role" ?disabled=${m.id === this.operator.id && this.operator.role !== 'owner'}>
                ${ROLES.map(
                  (role) =>
                    html`<option value=${role} ?selected=${m.role === role}
                      ?disabled=${role !== m.role && !this.assignableRoles.includes(role)}>${role}</option>`,
                )}
              </select>
            </div>
            <div class="field">
              <label for="${id}-availability">Availability</label>
              <select id="${id}-availability" name="availability">
                <option value="available" ?selected=${m.availability === 'available'}>Available</option>
                <option value="away" ?selected=${m.availability === 'away'}>Away</option>
              </select>
            </div>
            <div class="field">
              <label for="${id}-capacity">Capacity</label>
              <input id="${id}-capacity" name="capacity" type="number" min="0" max="1000" .value=${String(m.capacity)}
                aria-describedby="capacity-hint" />
            </div>
            <button type="submit" class="secondary">Save ${m.name}</button>
          </form>`
        : html`<div class="card-line">
            <span class="badge">${m.role}</span>
            <span class="badge ${m.availability === 'available' ? 'verified' : ''}">${m.availability === 'available' ? 'Available' : 'Away'}</span>
            <span>Capacity ${m.capacity}</span>
          </div>`}
    </li>`;
  }

  private addForm() {
    return html`<form class="card" @submit=${this.add} novalidate aria-labelledby="add-operator">
      <h2 id="add-operator">Add an operator</h2>
      <p class="hint" id="capacity-hint">Capacity is the most open + pending tickets auto-assignment gives someone; 0 means never.</p>
      ${this.formError ? html`<p class="error" role="alert">${this.formError}</p>` : nothing}
      <div class="field">
        <label for="add-email">Email</label>
        <input id="add-email" name="email" type="email" required autocomplete="off" />
        ${this.formFields.email ? html`<p class="field-error">${this.formFields.email}</p>` : nothing}
      </div>
      <div class="field">
        <label for="add-name">Name</label>
        <input id="add-name" name="name" required autocomplete="off" />
        ${this.formFields.name ? html`<p class="field-error">${this.formFields.name}</p>` : nothing}
      </div>
      <div class="row">
        <div class="field">
          <label for="add-role">Role</label>
          <select id="add-role" name="role">
            ${this.assignableRoles.map((role) => html`<option value=${role}>${role}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="add-capacity">Capacity</label>
          <input id="add-capacity" name="capacity" type="number" min="0" max="1000" value="5" />
        </div>
      </div>
      <div class="field">
        <label for="add-password">Password (optional)</label>
        <input id="add-password" name="password" type="password" autocomplete="new-password" aria-describedby="add-password-hint" />
        <p class="hint" id="add-password-hint">At least 12 characters. Leave empty to generate one, shown once.</p>
        ${this.formFields.password ? html`<p class="field-error">${this.formFields.password}</p>` : nothing}
      </div>
      <button type="submit">Add operator</button>
    </form>`;
  }

  private async add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    const password = String(form.get('password') ?? '');
    this.formError = '';
    this.formFields = {};
    try {
      const { operator, generatedPassword } = await api.admin.team.create.mutate({
        email: String(form.get('email') ?? ''),
        name: String(form.get('name') ?? ''),
        role: String(form.get('role') ?? 'member') as Role,
        capacity: Number(form.get('capacity') ?? 5),
        ...(password ? { password } : {}),
      });
      formElement.reset();
      this.generated = generatedPassword ? { email: operator.email, password: generatedPassword } : null;
      this.notice = `${operator.name} was added.`;
      await this.load();
    } catch (error) {
      this.formFields = fieldErrors(error);
      this.formError = this.problem(error);
    }
  }

  private async save(event: SubmitEvent, member: TeamMember): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const role = form.get('role') as Role | null;
    try {
      const updated = await api.admin.team.update.mutate({
        id: member.id,
        ...(role && role !== member.role ? { role } : {}),
        availability: form.get('availability') === 'away' ? 'away' : 'available',
        capacity: Number(form.get('capacity') ?? member.capacity),
      });
      this.notice = `Saved ${updated.name}.`;
      this.error = '';
      if (updated.id === this.operator.id) {
        this.dispatchEvent(new T0OperatorChangedEvent(updated));
      }
      await this.load();
    } catch (error) {
      this.error = this.problem(error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-team-page': TeamPage;
  }
}
