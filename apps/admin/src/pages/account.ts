import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api.js';
import { T0OperatorChangedEvent } from '../events.js';
import { PageElement } from '../page.js';

/** The signed-in operator: availability and password. */
@customElement('t0-account-page')
export class AccountPage extends PageElement {
  @state() private notice = '';
  @state() private error = '';

  override render() {
    const me = this.operator;
    return html`
      <h1 tabindex="-1">Account</h1>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <dl class="facts">
        <dt>Name</dt>
        <dd>${me.name}</dd>
        <dt>Email</dt>
        <dd>${me.email}</dd>
        <dt>Role</dt>
        <dd>${me.role}</dd>
      </dl>
      <h2>Availability</h2>
      <div class="field">
        <label for="availability">I am</label>
        <select id="availability" @change=${this.setAvailability}>
          <option value="available" ?selected=${me.availability === 'available'}>Available for new tickets</option>
          <option value="away" ?selected=${me.availability === 'away'}>Away</option>
        </select>
      </div>
      <form @submit=${this.changePassword} novalidate>
        <h2>Change password</h2>
        <div class="field">
          <label for="current">Current password</label>
          <input id="current" name="current" type="password" autocomplete="current-password" required />
        </div>
        <div class="field">
          <label for="next">New password</label>
          <input id="next" name="next" type="password" autocomplete="new-password" minlength="12" required aria-describedby="next-hint" />
          <p class="hint" id="next-hint">At least 12 characters. Your other sessions are signed out.</p>
        </div>
        <button type="submit">Change password</button>
      </form>
    `;
  }

  private async setAvailability(event: Event): Promise<void> {
    const availability = (event.target as HTMLSelectElement).value === 'away' ? 'away' : 'available';
    try {
      const operator = await api.admin.auth.setAvailability.mutate({ availability });
      this.dispatchEvent(new T0OperatorChangedEvent(operator));
      this.notice = availability === 'away' ? 'You are away.' : 'You are available.';
      this.error = '';
    } catch (error) {
      this.error = this.problem(error);
    }
  }

  private async changePassword(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    try {
      await api.admin.auth.changePassword.mutate({
        currentPassword: String(form.get('current') ?? ''),
        newPassword: String(form.get('next') ?? ''),
      });
      formElement.reset();
      this.notice = 'Password changed. Other sessions were signed out.';
      this.error = '';
    } catch (error) {
      this.error = this.problem(error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-account-page': AccountPage;
  }
}
