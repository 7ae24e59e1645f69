import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { loadAlertPreferences, saveAlertPreferences, type AlertPreferences } from '../alerts.js';
import { api } from '../api.js';
import { T0OperatorChangedEvent } from '../events.js';
import { PageElement } from '../page.js';

/** The signed-in operator: availability, alerts in this browser, and password. */
@customElement('t0-account-page')
export class AccountPage extends PageElement {
  @state() private notice = '';
  @state() private error = '';
  @state() private alerts: AlertPreferences = loadAlertPreferences();

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
      <fieldset class="alerts">
        <legend>Alerts in this browser</legend>
        <p class="hint">The tab title always shows how many chats and tickets you have not read.</p>
        <label class="check"
          ><input type="checkbox" .checked=${this.alerts.sound} @change=${this.toggleSound} /> Play a sound when something new
          arrives</label
        >
        <label class="check"
          ><input type="checkbox" .checked=${this.alerts.desktop} @change=${this.toggleDesktop} /> Show a desktop notification
          when something new arrives while the console is in the background</label
        >
      </fieldset>
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

  private setAlerts(alerts: AlertPreferences, notice: string): void {
    this.alerts = alerts;
    saveAlertPreferences(alerts);
    this.notice = notice;
    this.error = '';
  }

  private toggleSound(event: Event): void {
    const sound = (event.target as HTMLInputElement).checked;
    this.setAlerts({ ...this.alerts, sound }, sound ? 'A sound plays when something new arrives.' : 'No sound.');
  }

  /** The browser asks for permission here, when the operator asks for notifications, never on load. */
  private async toggleDesktop(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    if (!input.checked) {
      this.setAlerts({ ...this.alerts, desktop: false }, 'No desktop notifications.');
      return;
    }
    const permission = typeof Notification === 'undefined' ? 'denied' : await Notification.requestPermission();
    if (permission !== 'granted') {
      input.checked = false;
      this.error =
        permission === 'denied'
          ? 'This browser blocks notifications from the console. Allow them in the site settings, then try again.'
          : 'Notifications were not allowed.';
      return;
    }
    this.setAlerts({ ...this.alerts, desktop: true }, 'Desktop notifications are on.');
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
