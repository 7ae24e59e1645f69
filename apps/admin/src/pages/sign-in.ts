import { LitElement, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { api, errorMessage } from '../api.js';
import { T0SignedInEvent } from '../events.js';
import { shared } from '../styles.js';
import { css } from 'lit';

/** Email + password. Fires `t0-signed-in` with the operator. */
@customElement('t0-sign-in')
export class SignInPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        max-width: 24rem;
        margin: 8vh auto 0;
        padding: 0 1rem;
      }
      form {
        border: 1px solid var(--line);
        border-radius: var(--radius);
        padding: 1.25rem;
        background: var(--surface);
      }
      button {
        width: 100%;
        justify-content: center;
      }
    `,
  ];

  @state() private error = '';
  @state() private busy = false;
  @query('#email') private emailInput!: HTMLInputElement;

  focusHeading(): void {
    this.emailInput?.focus();
  }

  override render() {
    return html`
      <form @submit=${this.submit} novalidate>
        <h1>Sign in to the console</h1>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
        <div class="field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    `;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (!email || !password) {
      this.error = 'Enter your email and password.';
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const { operator } = await api.admin.auth.signIn.mutate({ email, password });
      this.dispatchEvent(new T0SignedInEvent(operator));
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-sign-in': SignInPage;
  }
}
