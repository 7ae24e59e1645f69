import type { ChatMessage, RateMessageInput, Rating, RatingReason } from '@ticket0/contracts';
import type { TemplateResult } from 'lit/html.js';
import { html, nothing } from 'lit/html.js';
import { T0RateEvent } from '../events.js';
import type { PanelContext } from './context.js';

/** Per reply: what the server last confirmed, and which click is the latest. */
interface RatingState {
  confirmed: Rating | null;
  /** Increases with each click; only the latest click's answer (or failure) is shown. */
  seq: number;
  error?: string;
}

const MAX_COMMENT_LENGTH = 1000;

// Thumbs down is the same glyph turned over (in CSS).
const thumb = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path
    fill="currentColor"
    d="M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z"
  />
</svg>`;

/**
 * Thumbs up / down under each AI reply, with an optional reason after a thumbs down. The
 * change shows at once and is taken back if the server refuses it.
 */
export class Feedback {
  private readonly ctx: PanelContext;
  private readonly states = new Map<number, RatingState>();
  /** The reply whose reason form is open. */
  private asking: number | null = null;
  private sendingReason = false;

  constructor(ctx: PanelContext) {
    this.ctx = ctx;
  }

  render(reply: ChatMessage): TemplateResult {
    const t = this.ctx.host.text;
    const error = this.states.get(reply.id)?.error;
    const toggle = (rating: Rating, label: string) =>
      html`<button
        type="button"
        class="rate ${rating}"
        aria-label=${label}
        aria-pressed=${reply.rating === rating ? 'true' : 'false'}
        @click=${() => void this.rate(reply.id, reply.rating === rating ? null : rating)}
      >
        ${thumb}
      </button>`;
    return html`<div class="row feedback">
        ${toggle('up', t.rateUp)}${toggle('down', t.rateDown)}
      </div>
      ${error ? html`<p class="meta error" role="alert">${error}</p>` : nothing}
      ${this.asking === reply.id ? this.renderReasons(reply) : nothing}`;
  }

  private renderReasons(reply: ChatMessage): TemplateResult {
    const t = this.ctx.host.text;
    const reasons: Array<[RatingReason, string]> = [
      ['wrong', t.reasonWrong],
      ['unhelpful', t.reasonUnhelpful],
      ['rude', t.reasonRude],
      ['other', t.reasonOther],
    ];
    const commentId = `reason-comment-${reply.id}`;
    return html`<form
      class="inline-form reasons"
      novalidate
      @submit=${(event: SubmitEvent) => this.onReason(event, reply.id)}
    >
      <fieldset>
        <legend>${t.reasonQuestion}</legend>
        ${reasons.map(
          ([value, label]) =>
            html`<label class="choice"
              ><input type="radio" name="reason" value=${value} />${label}</label
            >`,
        )}
      </fieldset>
      <label for=${commentId}>${t.reasonComment}</label>
      <textarea id=${commentId} name="comment" rows="2" maxlength=${MAX_COMMENT_LENGTH}></textarea>
      <div class="row">
        <button type="submit" class="primary" ?disabled=${this.sendingReason}>
          ${t.reasonSend}
        </button>
        <button type="button" class="secondary" @click=${() => this.closeReasons(reply.id)}>
          ${t.reasonSkip}
        </button>
      </div>
    </form>`;
  }

  private closeReasons(id: number): void {
    this.asking = null;
    this.ctx.changed();
    this.ctx.focus(`[data-id="${id}"] .rate.down`);
  }

  private async onReason(event: SubmitEvent, id: number): Promise<void> {
    event.preventDefault();
    if (this.sendingReason) return;
    const fields = (event.currentTarget as HTMLFormElement).elements;
    const reason = (fields.namedItem('reason') as RadioNodeList | null)?.value as RatingReason | '';
    const comment = (fields.namedItem('comment') as HTMLTextAreaElement | null)?.value.trim() ?? '';
    if (!reason && !comment) return this.closeReasons(id);
    this.sendingReason = true;
    const stored = await this.rate(id, 'down', {
      ...(reason ? { reason } : {}),
      ...(comment ? { comment: comment.slice(0, MAX_COMMENT_LENGTH) } : {}),
    });
    this.sendingReason = false;
    if (stored) {
      this.ctx.announce(this.ctx.host.text.feedbackThanks);
      this.closeReasons(id);
    }
    this.ctx.changed();
  }

  /** Sends a rating; resolves to whether the server stored it. */
  private async rate(
    id: number,
    rating: Rating | null,
    details?: Pick<RateMessageInput, 'reason' | 'comment'>,
  ): Promise<boolean> {
    const shown = this.ctx.message(id);
    if (!shown) return false;
    let state = this.states.get(id);
    if (!state) this.states.set(id, (state = { confirmed: shown.rating, seq: 0 }));
    const seq = ++state.seq;
    state.error = undefined;
    this.ctx.update({ ...shown, rating });
    // A thumbs down opens the reason form right after the buttons (next in tab order, focus
    // stays put); it can be ignored or skipped.
    if (!details) this.asking = rating === 'down' ? id : this.asking === id ? null : this.asking;
    this.ctx.changed();

    try {
      const stored = await this.ctx.request((transport, credentials) =>
        transport.rate(credentials, { messageId: id, rating, ...details }),
      );
      const changed = stored.rating !== state.confirmed;
      state.confirmed = stored.rating;
      if (seq === state.seq) this.ctx.update(stored);
      if (changed) this.ctx.host.dispatchEvent(new T0RateEvent(id, stored.rating));
      return true;
    } catch (thrown) {
      const { message } = this.ctx.report(thrown);
      if (seq === state.seq) {
        const current = this.ctx.message(id);
        if (current) this.ctx.update({ ...current, rating: state.confirmed });
        state.error = message;
        if (state.confirmed !== 'down' && this.asking === id) this.asking = null;
      }
      return false;
    } finally {
      this.ctx.changed();
    }
  }
}
