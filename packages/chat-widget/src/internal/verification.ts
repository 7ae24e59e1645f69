import type { PendingVerification } from '@ticket0/contracts';
import type { TemplateResult } from 'lit/html.js';
import { html, nothing } from 'lit/html.js';
import { T0VerifiedEvent } from '../events.js';
import type { PanelContext } from './context.js';
import { isEmail } from './email.js';
import { format } from './strings.js';

const CODE_LENGTH = 6;
/** Spaces and dashes people type or paste into a code ("123 456", "123-456"). */
const separators = /[\s-]/g;

/** The address a signed identity names (its payload is base64url JSON); '' if unreadable. */
function emailIn(token: string): string {
  try {
    const payload = token.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/');
    return String((JSON.parse(atob(payload)) as { email?: unknown }).email ?? '').toLowerCase();
  } catch {
    return '';
  }
}

const secondsUntil = (time: number): number => Math.max(0, Math.ceil((time - Date.now()) / 1000));

/**
 * "Verify your email" inside the panel: an email address, then the 6-digit code mailed to
 * it. Shown in place of the conversation (whose draft and stream carry on underneath);
 * Cancel returns to the chat. The server counts attempts and throttles; this shows what it
 * says and waits when told to.
 */
export class Verification {
  private readonly ctx: PanelContext;
  /** The open step; null while the conversation is shown. */
  step: 'email' | 'code' | null = null;
  verifiedEmail: string | null = null;
  /** The code on its way, as the server described it. */
  private pending: PendingVerification | null = null;
  private draft = '';
  private busy = false;
  private error = '';
  /** Until then the server refuses to send another code (TOO_MANY_REQUESTS). */
  private retryAt = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** Told once the visitor proved their address (the panel then mails a transcript asked for). */
  onVerified: ((email: string) => void) | undefined;
  /** The signed identity already presented: each token works once. */
  private identified: string | null = null;

  constructor(ctx: PanelContext) {
    this.ctx = ctx;
  }

  /**
   * The host site's signed identity for its signed-in visitor: verifies the chat without a
   * code. A chat this browser holds for another address is left for a new one first.
   */
  async identify(token: string | undefined, startOver: () => void): Promise<void> {
    if (!token || token === this.identified) return;
    this.identified = token;
    const email = emailIn(token);
    if (this.verifiedEmail && this.verifiedEmail === email) return;
    if (this.verifiedEmail) startOver();
    try {
      const result = await this.ctx.request(
        (transport, credentials) => transport.identify(credentials, { token }),
        true,
      );
      this.verified(result.email, false);
    } catch (thrown) {
      this.ctx.notify(this.ctx.report(thrown).message);
    }
  }

  /** The session was replaced: whatever was verified or pending belonged to the old one. */
  forget(): void {
    this.verifiedEmail = null;
    this.pending = null;
    this.step = null;
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** Where focus goes while a step is open. */
  get field(): string {
    return this.step === 'code' ? '#verify-code' : '#verify-email';
  }

  /**
   * On the first open of a page with a stored session: the verified badge, or the code
   * entry the visitor left when the page reloaded.
   */
  async restore(): Promise<void> {
    try {
      const status = await this.ctx.request((transport, credentials) =>
        transport.verificationStatus(credentials),
      );
      if (status.verified && status.email) {
        this.verifiedEmail = status.email;
      } else if (status.pending && !this.step && !this.verifiedEmail) {
        this.pending = status.pending;
        this.draft = status.pending.email;
        const root = this.ctx.host.renderRoot as ShadowRoot;
        const typing = root.activeElement?.matches('.composer textarea') ?? false;
        this.show('code', typing);
      }
      this.ctx.changed();
    } catch {
      // The badge and the resumed step are a convenience; the chat works without them.
    }
  }

  readonly open = (): void => {
    const live = this.pending && this.pending.expiresAt.getTime() > Date.now();
    this.show(live ? 'code' : 'email');
  };

  private readonly cancel = (): void => {
    this.step = null;
    this.error = '';
    this.ctx.changed();
    this.ctx.focus('.composer textarea');
  };

  private readonly changeEmail = (): void => this.show('email');

  private show(step: 'email' | 'code', moveFocus = true): void {
    this.step = step;
    this.error = '';
    this.tick();
    this.ctx.changed();
    if (moveFocus) this.ctx.focus(this.field);
  }

  renderBadge(): TemplateResult | typeof nothing {
    if (!this.verifiedEmail) return nothing;
    return html`<p part="badge" class="badge">
      <span aria-hidden="true">✓</span> ${format(this.ctx.host.text.verifiedBadge, {
        email: this.verifiedEmail,
      })}
    </p>`;
  }

  /** The "Verify your email" button; hidden once the chat is verified. */
  renderOpener(className: string): TemplateResult | typeof nothing {
    if (this.verifiedEmail) return nothing;
    return html`<button type="button" class=${className} @click=${this.open}>
      ${this.ctx.host.text.verifyOpen}
    </button>`;
  }

  render(): TemplateResult | typeof nothing {
    const t = this.ctx.host.text;
    if (!this.step) return nothing;
    const error = this.error
      ? html`<p id="verify-error" class="meta error" role="alert">${this.error}</p>`
      : nothing;
    const describedBy = (...ids: string[]) =>
      [...ids, ...(this.error ? ['verify-error'] : [])].join(' ') || nothing;
    // The code step needs the code on its way; without one, the email step is shown.
    const pending = this.step === 'code' ? this.pending : null;
    const [intro, field, label] = pending
      ? [format(t.verifyCodeIntro, { email: pending.email }), 'verify-code', t.verifyCodeLabel]
      : [t.verifyIntro, 'verify-email', t.verifyEmailLabel];
    const rest = pending
      ? this.renderCode(pending, error, describedBy)
      : this.renderEmail(error, describedBy);
    return html`<section part="verify" class="verify" aria-labelledby="verify-title">
      <h3 id="verify-title">${t.verifyTitle}</h3>
      <p id="verify-intro">${intro}</p>
      <form class="inline-form" novalidate @submit=${pending ? this.onCode : this.onEmail}>
        <label for=${field}>${label}</label>
        ${rest}
      </form>
    </section>`;
  }

  private renderEmail(
    error: TemplateResult | typeof nothing,
    describedBy: (...ids: string[]) => string | typeof nothing,
  ): TemplateResult {
    const t = this.ctx.host.text;
    const waitFor = secondsUntil(this.retryAt);
    return html`<input
        id="verify-email"
        name="email"
        type="email"
        autocomplete="email"
        maxlength="254"
        required
        .value=${this.draft}
        aria-invalid=${this.error ? 'true' : 'false'}
        aria-describedby=${describedBy('verify-intro')}
      />
      ${error} ${waitFor ? html`<p class="meta">${format(t.retryIn, { s: waitFor })}</p>` : nothing}
      <div class="row">
        <button type="submit" class="primary" ?disabled=${this.busy || waitFor > 0}>
          ${t.verifySendCode}
        </button>
        <button type="button" class="secondary cancel" @click=${this.cancel}>${t.cancel}</button>
      </div>`;
  }

  private renderCode(
    pending: PendingVerification,
    error: TemplateResult | typeof nothing,
    describedBy: (...ids: string[]) => string | typeof nothing,
  ): TemplateResult {
    const t = this.ctx.host.text;
    const resendIn = secondsUntil(Math.max(pending.resendAvailableAt.getTime(), this.retryAt));
    return html`<input
        id="verify-code"
        name="code"
        class="code"
        type="text"
        autocomplete="one-time-code"
        inputmode="numeric"
        pattern="[0-9]*"
        maxlength=${CODE_LENGTH}
        required
        aria-invalid=${this.error ? 'true' : 'false'}
        aria-describedby=${describedBy('verify-intro', 'verify-attempts')}
        @input=${this.onCodeInput}
        @paste=${this.onCodePaste}
      />
      <p id="verify-attempts" class="meta">
        ${format(t.attemptsLeft, { n: pending.attemptsLeft })}
      </p>
      ${error}
      <div class="row">
        <button type="submit" class="primary" ?disabled=${this.busy || pending.attemptsLeft === 0}>
          ${t.verifySubmit}
        </button>
        <button
          type="button"
          class="secondary resend"
          ?disabled=${this.busy || resendIn > 0}
          @click=${() => void this.send(pending.email)}
        >
          ${resendIn > 0 ? format(t.resendIn, { s: resendIn }) : t.resend}
        </button>
      </div>
      <div class="row">
        <button type="button" class="link" @click=${this.changeEmail}>${t.changeEmail}</button>
        <button type="button" class="link cancel" @click=${this.cancel}>${t.cancel}</button>
      </div>`;
  }

  // Handlers are arrow functions: Lit calls listeners with the host element as `this`.

  /** The field's maxlength is the code's length, so separators are dropped as they come. */
  private readonly onCodeInput = (event: Event): void => {
    const input = event.currentTarget as HTMLInputElement;
    const value = input.value.replace(separators, '');
    if (value !== input.value) input.value = value;
  };

  /** A pasted "123 456" would be cut to "123 45" by maxlength before `input` could clean it. */
  private readonly onCodePaste = (event: ClipboardEvent): void => {
    const pasted = event.clipboardData?.getData('text');
    if (pasted === undefined) return;
    event.preventDefault();
    const input = event.currentTarget as HTMLInputElement;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    const value = input.value.slice(0, start) + pasted + input.value.slice(end);
    input.value = value.replace(separators, '').slice(0, CODE_LENGTH);
  };

  private readonly onEmail = (event: SubmitEvent): void => {
    event.preventDefault();
    const field = (event.currentTarget as HTMLFormElement).elements.namedItem('email');
    const email = (field as HTMLInputElement).value.trim();
    this.draft = email;
    if (!isEmail(email)) return this.fail(this.ctx.host.text.invalidEmail);
    void this.send(email);
  };

  private readonly onCode = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const field = (event.currentTarget as HTMLFormElement).elements.namedItem('code');
    const code = (field as HTMLInputElement).value.replace(separators, '');
    if (!/^\d{6}$/.test(code)) return this.fail(this.ctx.host.text.verifyInvalidCode);
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    this.ctx.changed();
    try {
      const result = await this.ctx.request((transport, credentials) =>
        transport.confirmVerification(credentials, { code }),
      );
      this.verified(result.email);
    } catch (thrown) {
      const { error, message } = this.ctx.report(thrown);
      this.waitIfTold(error.retryAfterSeconds);
      // The server counts the tries; it knows how many are left (or that none are).
      if (error.code === 'BAD_REQUEST') await this.refresh();
      this.fail(message);
    } finally {
      this.busy = false;
      this.ctx.changed();
    }
  };

  /** Asks for a code to be mailed to `email` (a first one, or again). */
  private async send(email: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    this.ctx.changed();
    try {
      this.pending = await this.ctx.request(
        (transport, credentials) => transport.requestVerification(credentials, { email }),
        true,
      );
      // A new code makes whatever was typed for the old one meaningless.
      const field = this.ctx.host.renderRoot.querySelector<HTMLInputElement>('#verify-code');
      if (field) field.value = '';
      this.show('code');
    } catch (thrown) {
      const { error, message } = this.ctx.report(thrown);
      this.waitIfTold(error.retryAfterSeconds);
      this.fail(message);
    } finally {
      this.busy = false;
      this.ctx.changed();
    }
  }

  private async refresh(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    try {
      const status = await this.ctx.request((transport, credentials) =>
        transport.verificationStatus(credentials),
      );
      // No code waiting any more (expired or used up): only a new one can help.
      this.pending = status.pending ?? { ...pending, attemptsLeft: 0 };
    } catch {
      this.pending = { ...pending, attemptsLeft: Math.max(0, pending.attemptsLeft - 1) };
    }
  }

  private verified(email: string, moveFocus = true): void {
    this.verifiedEmail = email;
    this.pending = null;
    this.step = null;
    this.error = '';
    this.ctx.announce(format(this.ctx.host.text.verifiedNotice, { email }));
    this.ctx.host.dispatchEvent(new T0VerifiedEvent(email));
    if (moveFocus) this.ctx.focus('.composer textarea');
    this.onVerified?.(email);
  }

  private fail(message: string): void {
    this.error = message;
    this.ctx.changed();
    this.ctx.focus(this.field);
  }

  private waitIfTold(seconds: number | undefined): void {
    if (seconds) this.retryAt = Date.now() + seconds * 1000;
    this.tick();
  }

  /** Re-renders every second while a countdown (resend, retry) is running. */
  private tick(): void {
    if (this.ticker) return;
    const running = (): boolean =>
      secondsUntil(Math.max(this.retryAt, this.pending?.resendAvailableAt.getTime() ?? 0)) > 0;
    if (!running()) return;
    this.ticker = setInterval(() => {
      this.ctx.changed();
      if (!running()) this.dispose();
    }, 1000);
  }
}
