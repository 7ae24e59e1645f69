import type { ChatMessage } from '@ticket0/contracts';
import type { TemplateResult } from 'lit/html.js';
import { html, nothing } from 'lit/html.js';
import { T0EscalateEvent } from '../events.js';
import type { PanelContext } from './context.js';
import { isEmail } from './email.js';

/**
 * Escalation offers in the conversation ("Yes, contact me" / "No thanks") and the panel's
 * "Talk to a human" action. The server decides what an acceptance does (one ticket per chat,
 * which address support writes to); the widget asks, and shows what the server stored.
 */
export class Escalation {
  private readonly ctx: PanelContext;
  /** Offers with a request in flight: a second click is ignored rather than sent. */
  private readonly busy = new Set<number>();
  private readonly errors = new Map<number, string>();
  /** The offer whose email field is open (accepted in a chat that is not verified). */
  private asking: number | null = null;
  private requesting = false;

  constructor(ctx: PanelContext) {
    this.ctx = ctx;
  }

  renderAction(): TemplateResult {
    return html`<button
      type="button"
      class="action human"
      ?disabled=${this.requesting}
      @click=${this.requestHuman}
    >
      ${this.ctx.host.text.talkToHuman}
    </button>`;
  }

  /**
   * A `superseded` offer (a newer offer or an answer came after it) keeps its text but loses
   * its buttons: only the latest question is open.
   */
  renderOffer(offer: ChatMessage, superseded = false): TemplateResult | typeof nothing {
    const t = this.ctx.host.text;
    if (offer.offerStatus === 'declined') return html`<p class="meta">${t.offerDeclined}</p>`;
    if (offer.offerStatus !== 'pending' || (superseded && this.asking !== offer.id)) return nothing;
    const busy = this.busy.has(offer.id);
    const error = this.errors.get(offer.id);
    const errorId = `offer-error-${offer.id}`;
    const errorLine = error
      ? html`<p id=${errorId} class="meta error" role="alert">${error}</p>`
      : nothing;
    if (this.asking !== offer.id) {
      return html`<div class="row">
          <button
            type="button"
            class="primary accept"
            ?disabled=${busy}
            @click=${() => this.accept(offer)}
          >
            ${t.acceptOffer}
          </button>
          <button
            type="button"
            class="secondary decline"
            ?disabled=${busy}
            @click=${() => this.decline(offer)}
          >
            ${t.declineOffer}
          </button>
        </div>
        ${errorLine}`;
    }
    const fieldId = `offer-email-${offer.id}`;
    return html`<form
      class="inline-form contact"
      novalidate
      @submit=${(event: SubmitEvent) => this.onEmail(event, offer)}
    >
      <label for=${fieldId}>${t.contactEmailLabel}</label>
      <input
        id=${fieldId}
        name="email"
        type="email"
        autocomplete="email"
        maxlength="254"
        required
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? errorId : nothing}
      />
      ${errorLine}
      <div class="row">
        <button type="submit" class="primary" ?disabled=${busy}>${t.contactSubmit}</button>
        <button
          type="button"
          class="secondary"
          ?disabled=${busy}
          @click=${() => this.closeForm(offer)}
        >
          ${t.cancel}
        </button>
      </div>
    </form>`;
  }

  // Handlers are arrow functions: Lit calls listeners with the host element as `this`.

  private readonly requestHuman = async (): Promise<void> => {
    if (this.requesting) return;
    this.requesting = true;
    this.ctx.changed();
    try {
      const offer = await this.ctx.request(
        (transport, credentials) => transport.requestEscalation(credentials),
        true,
      );
      this.ctx.notify('');
      this.ctx.store(offer);
      this.ctx.announce(offer.body);
      this.ctx.focus(`[data-id="${offer.id}"] .accept`);
    } catch (thrown) {
      this.ctx.notify(this.ctx.report(thrown).message);
    } finally {
      this.requesting = false;
      this.ctx.changed();
    }
  };

  private accept(offer: ChatMessage): void {
    if (this.busy.has(offer.id)) return;
    if (this.ctx.verifiedEmail) {
      void this.confirm(offer);
      return;
    }
    this.ask(offer);
  }

  /** Opens the email field: support needs an address, and an unverified chat has none. */
  private ask(offer: ChatMessage, error?: string): void {
    this.asking = offer.id;
    if (error) this.errors.set(offer.id, error);
    else this.errors.delete(offer.id);
    this.ctx.changed();
    this.ctx.focus(`#offer-email-${offer.id}`);
  }

  private closeForm(offer: ChatMessage): void {
    this.asking = null;
    this.errors.delete(offer.id);
    this.ctx.changed();
    this.ctx.focus(`[data-id="${offer.id}"] .accept`);
  }

  private onEmail(event: SubmitEvent, offer: ChatMessage): void {
    event.preventDefault();
    const field = (event.currentTarget as HTMLFormElement).elements.namedItem('email');
    const email = (field as HTMLInputElement).value.trim();
    if (!isEmail(email)) {
      this.ask(offer, this.ctx.host.text.invalidEmail);
      return;
    }
    void this.confirm(offer, email);
  }

  private async confirm(offer: ChatMessage, email?: string): Promise<void> {
    if (this.busy.has(offer.id)) return;
    this.busy.add(offer.id);
    this.errors.delete(offer.id);
    this.ctx.changed();
    try {
      const input = email === undefined ? { offerId: offer.id } : { offerId: offer.id, email };
      const result = await this.ctx.request((transport, credentials) =>
        transport.confirmEscalation(credentials, input),
      );
      this.asking = null;
      this.ctx.update(result.offer);
      this.ctx.store(result.confirmation);
      this.ctx.announce(result.confirmation.body);
      this.ctx.host.dispatchEvent(
        new T0EscalateEvent(
          result.ticketId,
          result.offer.escalationReason ?? offer.escalationReason,
        ),
      );
      this.ctx.focus('.composer textarea');
    } catch (thrown) {
      const { error, message } = this.ctx.report(thrown);
      // Without an email the server only refuses an unverified chat: ask for the address.
      if (error.code === 'BAD_REQUEST' && email === undefined) this.ask(offer, message);
      else this.errors.set(offer.id, message);
      if (email !== undefined) this.ctx.focus(`#offer-email-${offer.id}`);
    } finally {
      this.busy.delete(offer.id);
      this.ctx.changed();
    }
  }

  private async decline(offer: ChatMessage): Promise<void> {
    if (this.busy.has(offer.id)) return;
    this.busy.add(offer.id);
    this.errors.delete(offer.id);
    this.ctx.changed();
    try {
      const declined = await this.ctx.request((transport, credentials) =>
        transport.declineEscalation(credentials, { offerId: offer.id }),
      );
      this.ctx.update(declined);
      this.ctx.announce(this.ctx.host.text.offerDeclined);
      this.ctx.focus('.composer textarea');
    } catch (thrown) {
      this.errors.set(offer.id, this.ctx.report(thrown).message);
    } finally {
      this.busy.delete(offer.id);
      this.ctx.changed();
    }
  }
}
