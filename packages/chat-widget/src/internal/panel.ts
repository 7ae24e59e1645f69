import type { ChatMessage, Citation, ConversationSummary } from '@ticket0/contracts';
import type { ReactiveController } from 'lit';
import type { TemplateResult } from 'lit/html.js';
import { html, nothing, render } from 'lit/html.js';
import type { ChatPanelHost, PanelContext } from './context.js';
import type { ConversationView, Outgoing, SessionCall } from './conversation.js';
import { Conversation, isReply } from './conversation.js';
import { Escalation } from './escalation.js';
import escalationStyles from './escalation.styles.js';
import { Feedback } from './feedback.js';
import feedbackStyles from './feedback.styles.js';
import { linkify, safeHref } from './linkify.js';
import panelStyles from './panel.styles.js';
import { format } from './strings.js';
import { adoptStyles } from './styles.js';
import { Verification } from './verification.js';
import verificationStyles from './verification.styles.js';

export type { ChatPanelHost } from './context.js';

const MAX_MESSAGE_LENGTH = 4000;

function linked(text: string): Array<TemplateResult | string> {
  return linkify(text).map((segment) =>
    segment.href
      ? html`<a href=${segment.href} target="_blank" rel="noopener noreferrer nofollow"
          >${segment.text}</a
        >`
      : segment.text,
  );
}

/**
 * The open chat window's content: loaded on first open together with the tRPC client, so
 * the launcher stays small. Renders the conversation (messages, the reply being streamed,
 * the composer, the live region) into the host's panel, with the parts that have controls
 * of their own: escalation offers, feedback and verification.
 */
export class ChatPanel implements ReactiveController, PanelContext, ConversationView {
  readonly host: ChatPanelHost;
  readonly conversation: Conversation;
  private announcement = '';
  private stickToBottom = true;

  private readonly escalation = new Escalation(this);
  private readonly feedback = new Feedback(this);
  private readonly verification = new Verification(this);
  /** The latest AI reply; it offers verification when it mentions verifying. */
  private lastReplyId = 0;
  /**
   * The latest reply or open (pending or declined) offer: an offer before it is superseded
   * and no longer clickable. An accepted offer supersedes nothing; the chat's ticket exists.
   */
  private lastOfferOrReplyId = 0;

  /** A verified customer's chats from other devices, offered while this one is empty. */
  private recent: ConversationSummary[] = [];
  /** "Delete conversation" was pressed once; the next press deletes. */
  private confirmingDelete = false;

  /** "Email me this conversation" waits for the visitor to verify their address. */
  private transcriptAfterVerifying = false;
  private transcriptNote = '';
  private sendingTranscript = false;

  constructor(host: ChatPanelHost) {
    this.host = host;
    this.verification.onVerified = () => {
      if (this.transcriptAfterVerifying) void this.emailTranscript();
      void this.loadRecent();
    };
    this.conversation = new Conversation(host, this);
    host.addController(this);
    // The panel's own styles join the element's (which the launcher stage brought).
    adoptStyles(host.renderRoot, [panelStyles, escalationStyles, feedbackStyles, verificationStyles]);
    // Fetch the tRPC client while the visitor reads the greeting, not when they hit Send.
    this.conversation.preload();
  }

  hostConnected(): void {
    this.conversation.listen();
  }

  hostDisconnected(): void {
    this.conversation.dispose();
    this.verification.dispose();
  }

  hostUpdated(): void {
    const list = this.host.renderRoot.querySelector<HTMLElement>('.messages');
    if (list && this.stickToBottom) list.scrollTop = list.scrollHeight;
  }

  /** Called each time the panel opens. Restores the conversation on the first open. */
  async opened(): Promise<void> {
    if (this.conversation.restore()) {
      await this.verification.restore();
      if (this.verification.verifiedEmail) void this.loadRecent();
    }
    return this.identify();
  }

  /** Presents the host's `identity` (a signed identity), once per token. */
  identify(): Promise<void> {
    return this.verification.identify(this.host.identity, this.startOver);
  }

  private async loadRecent(): Promise<void> {
    try {
      const { conversations } = await this.conversation.request((transport, credentials) =>
        transport.conversations(credentials),
      );
      this.recent = conversations.filter((c) => !c.current);
      this.changed();
    } catch {
      // A convenience: the chat works without it.
    }
  }

  private readonly continueChat = async (sessionId: string): Promise<void> => {
    try {
      await this.conversation.switchTo(sessionId);
      this.recent = [];
      await this.verification.restore();
    } catch (thrown) {
      this.notify(this.report(thrown).message);
    }
  };

  private readonly deleteChat = async (): Promise<void> => {
    if (!this.confirmingDelete) {
      this.confirmingDelete = true;
      return this.changed();
    }
    this.confirmingDelete = false;
    try {
      await this.conversation.deleteCurrent();
      this.focusInput();
    } catch (thrown) {
      this.notify(this.report(thrown).message);
    }
  };

  focusInput(): void {
    const selector = this.verification.step ? this.verification.field : '.composer textarea';
    this.host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  /**
   * Draws the panel into the frame the launcher stage made: the verified badge under the
   * title in `heading`, the rest after the header in `body`.
   */
  renderInto(heading: HTMLElement, body: HTMLElement): void {
    render(this.renderBadge(), heading, { host: this.host });
    render(this.render(), body, { host: this.host });
  }

  /** Goes under the title in the header: the verified badge. */
  renderBadge(): TemplateResult | typeof nothing {
    return this.verification.renderBadge();
  }

  render(): TemplateResult {
    const t = this.host.text;
    const { messages, unsent, reply, loadingHistory, notice, retryIn } = this.conversation;
    const busy = reply !== null;
    const verifying = this.verification.step !== null;
    this.lastReplyId = 0;
    this.lastOfferOrReplyId = 0;
    for (const m of messages) {
      if (isReply(m)) this.lastReplyId = m.id;
      if (isReply(m) || (m.kind === 'escalation_offer' && m.offerStatus !== 'accepted'))
        this.lastOfferOrReplyId = m.id;
    }
    return html`
      <div part="actions" class="actions">
        ${this.escalation.renderAction()} ${this.verification.renderOpener('action verify-open')}
        ${
          messages.length
            ? html`<button
                  type="button"
                  class="action transcript"
                  ?disabled=${this.sendingTranscript}
                  @click=${this.emailTranscript}
                >
                  ${t.emailTranscript}
                </button>
                <button type="button" class="action new-conversation" @click=${this.startOver}>
                  ${t.newConversation}
                </button>
                <button type="button" class="action delete-conversation" @click=${this.deleteChat}>
                  ${this.confirmingDelete ? t.deleteConfirm : t.deleteConversation}
                </button>`
            : nothing
        }
      </div>
      ${
        this.recent.length && !messages.length && !verifying
          ? html`<nav class="recent" aria-labelledby="recent-title">
              <p id="recent-title" class="meta">${t.recentConversations}</p>
              ${this.recent.map(
                (c) =>
                  html`<button type="button" class="action" @click=${() => this.continueChat(c.sessionId)}>
                    ${c.subject}
                  </button>`,
              )}
            </nav>`
          : nothing
      }
      ${
        this.transcriptNote
          ? html`<p class="notice transcript-note" role="status">${this.transcriptNote}</p>`
          : nothing
      }
      <p class="human-note">${t.humanNote}</p>
      ${this.verification.render()}
      <div
        part="messages"
        class="messages"
        role="log"
        aria-live="off"
        aria-label=${t.messagesLabel}
        tabindex="0"
        ?hidden=${verifying}
        @scroll=${this.onScroll}
      >
        ${loadingHistory ? html`<p class="status">${t.loading}</p>` : nothing}
        ${loadingHistory ? nothing : this.renderGreeting()} ${messages.map(this.renderMessage)}
        ${unsent.map(this.renderUnsent)} ${busy ? this.renderReply(reply) : nothing}
      </div>
      ${notice ? html`<p class="notice" role="alert">${notice}</p>` : nothing}
      ${
        retryIn > 0
          ? html`<p class="notice countdown">${format(t.retryIn, { s: retryIn })}</p>`
          : nothing
      }
      <p class="sr-only" aria-live="polite" aria-atomic="true">${this.announcement}</p>
      <form part="composer" class="composer" ?hidden=${verifying} @submit=${this.onSubmit}>
        <textarea
          rows="1"
          maxlength=${MAX_MESSAGE_LENGTH}
          aria-label=${t.inputLabel}
          placeholder=${t.placeholder}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
        ></textarea>
        ${
          busy
            ? html`<button type="button" class="stop" @click=${this.stop}>${t.stop}</button>`
            : html`<button type="submit" class="send" ?disabled=${retryIn > 0}>${t.send}</button>`
        }
      </form>
    `;
  }

  // Handlers are arrow functions: Lit calls listeners with the host element as `this`.

  /** Mails the conversation to the verified address; without one, verification comes first. */
  private readonly emailTranscript = async (): Promise<void> => {
    if (!this.verification.verifiedEmail) {
      this.transcriptAfterVerifying = true;
      this.verification.open();
      return;
    }
    this.transcriptAfterVerifying = false;
    this.sendingTranscript = true;
    this.changed();
    try {
      const { email } = await this.conversation.request((transport, credentials) =>
        transport.emailTranscript(credentials),
      );
      this.transcriptNote = format(this.host.text.transcriptSent, { email });
      this.conversation.notify('');
    } catch (thrown) {
      this.transcriptNote = '';
      this.conversation.notify(this.conversation.report(thrown).message);
    } finally {
      this.sendingTranscript = false;
      this.changed();
    }
  };

  /** A new chat, nothing of the last one shown (also when the site signs its visitor out). */
  readonly startOver = (): void => {
    this.confirmingDelete = false;
    this.transcriptNote = '';
    this.transcriptAfterVerifying = false;
    this.conversation.startOver();
    this.focusInput();
  };

  private readonly renderMessage = (message: ChatMessage): TemplateResult => {
    const t = this.host.text;
    const mine = message.author === 'visitor';
    const out = this.conversation.outgoingFor(message);
    const reply = isReply(message);
    const suggestVerifying =
      reply && message.id === this.lastReplyId && /\bverif/i.test(message.body);
    return html`<div
        class="message ${mine ? 'mine' : 'theirs'} ${message.author} ${message.kind}"
        data-id=${message.id}
      >
        ${message.author === 'ai' ? html`<p class="meta ai-label">${t.assistantLabel}</p>` : nothing}
        <p class="bubble" dir="auto">
          <bdi class="sr-only">${mine ? t.visitorLabel : t.replyLabel}: </bdi>${
            mine ? message.body : linked(message.body)
          }
        </p>
        ${message.citations?.length ? this.renderSources(message.id, message.citations) : nothing}
        ${message.interrupted ? html`<p class="meta">${t.interrupted}</p>` : nothing}
        ${
          message.kind === 'escalation_offer'
            ? this.escalation.renderOffer(message, message.id < this.lastOfferOrReplyId)
            : nothing
        }
        ${reply ? this.feedback.render(message) : nothing}
        ${suggestVerifying ? this.verification.renderOpener('link verify-suggest') : nothing}
        ${out?.state === 'failed' ? this.renderFailure(out) : nothing}
      </div>
      ${
        out?.state === 'stopped' && out.partial
          ? html`<div class="message theirs stopped">
              <p class="meta ai-label">${t.assistantLabel}</p>
              <p class="bubble" dir="auto">
                <bdi class="sr-only">${t.replyLabel}: </bdi>${linked(out.partial)}
              </p>
              <p class="meta">${t.interrupted}</p>
            </div>`
          : nothing
      }`;
  };

  /** The assistant's first message: shown, not stored, so an unused chat costs nothing. */
  private renderGreeting(): TemplateResult {
    const t = this.host.text;
    return html`<div class="greeting theirs ai">
      <p class="meta ai-label">${t.assistantLabel}</p>
      <p class="bubble" dir="auto">${t.greeting}</p>
    </div>`;
  }

  /** Knowledge-base articles the reply is grounded in; only http(s) addresses become links. */
  private renderSources(id: number, citations: readonly Citation[]): TemplateResult {
    const headingId = `sources-${id}`;
    return html`<div class="sources">
      <p class="meta" id=${headingId}>${this.host.text.sources}</p>
      <ul aria-labelledby=${headingId}>
        ${citations.map((citation) => {
          // `/kb/<slug>` is a page of the chat server, not of the site embedding the widget.
          const href = safeHref(citation.url, `${this.host.serverUrl}/`);
          return html`<li>
            ${
              href
                ? html`<a href=${href} target="_blank" rel="noopener noreferrer"
                    >${citation.title}</a
                  >`
                : citation.title
            }
          </li>`;
        })}
      </ul>
    </div>`;
  }

  private readonly renderUnsent = (out: Outgoing): TemplateResult => {
    const t = this.host.text;
    return html`<div class="message mine pending" data-client-message-id=${out.clientMessageId}>
      <p class="bubble" dir="auto"><bdi class="sr-only">${t.visitorLabel}: </bdi>${out.text}</p>
      ${out.state === 'failed' ? this.renderFailure(out) : html`<p class="meta">${t.sending}</p>`}
    </div>`;
  };

  private renderFailure(out: Outgoing): TemplateResult {
    return html`<p class="meta error" role="alert">${out.error}</p>
      <button
        type="button"
        class="retry"
        ?disabled=${!this.conversation.canSend}
        @click=${() => this.conversation.retry(out)}
      >
        ${this.host.text.retry}
      </button>`;
  }

  private renderReply(text: string): TemplateResult {
    const t = this.host.text;
    return html`<div class="message theirs streaming" aria-busy="true">
      <p class="meta ai-label">${t.assistantLabel}</p>
      ${
        text
          ? html`<p class="bubble" dir="auto">
              <bdi class="sr-only">${t.replyLabel}: </bdi>${linked(text)}
            </p>`
          : html`<p class="bubble typing" dir="auto">
              <span class="sr-only">${t.typing}</span><i></i><i></i><i></i>
            </p>`
      }
    </div>`;
  }

  private readonly onScroll = (event: Event): void => {
    const list = event.currentTarget as HTMLElement;
    this.stickToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 48;
  };

  /**
   * The first words typed start the chat session, so that the first send is a single round
   * trip and the model is asked at once. Not on open: a visitor who only looks starts no
   * chat. A failure here is left for the send to meet and explain.
   */
  private readonly onInput = (event: Event): void => {
    if (!(event.currentTarget as HTMLTextAreaElement).value.trim()) return;
    this.conversation.startSessionAhead();
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.submit();
    }
  };

  private readonly onSubmit = (event: Event): void => {
    event.preventDefault();
    this.submit();
    this.focusInput();
  };

  private readonly stop = (): void => {
    this.conversation.stop();
    this.focusInput();
  };

  private submit(): void {
    const input = this.host.renderRoot.querySelector<HTMLTextAreaElement>('.composer textarea');
    if (!input || !this.conversation.send(input.value.trim())) return;
    input.value = '';
    this.stickToBottom = true;
  }

  // ConversationView: how the conversation shows.

  get language(): string {
    return this.host.languageTag;
  }

  sessionForgotten(): void {
    // The chats listed were the old session's customer's.
    this.recent = [];
    this.verification.forget();
  }

  arrived(): void {
    this.host.noteArrival();
  }

  // PanelContext: what the escalation, feedback and verification parts use.

  get verifiedEmail(): string | null {
    return this.verification.verifiedEmail;
  }

  request<T>(call: SessionCall<T>, start?: boolean): Promise<T> {
    return this.conversation.request(call, start);
  }

  message(id: number): ChatMessage | undefined {
    return this.conversation.message(id);
  }

  store(message: ChatMessage): void {
    this.conversation.store(message);
  }

  update(message: ChatMessage): void {
    this.conversation.update(message);
  }

  report(thrown: unknown): ReturnType<Conversation['report']> {
    return this.conversation.report(thrown);
  }

  notify(message: string): void {
    this.conversation.notify(message);
  }

  focus(selector: string): void {
    this.changed(); // so the wait below includes the render that shows the target
    void this.host.updateComplete.then(() =>
      this.host.renderRoot.querySelector<HTMLElement>(selector)?.focus(),
    );
  }

  announce(text: string): void {
    if (text !== this.announcement) {
      this.announcement = text;
      return;
    }
    // The same words again: empty the region first so screen readers notice a change.
    this.announcement = '';
    this.changed();
    void this.host.updateComplete.then(() => {
      this.announcement = text;
      this.changed();
    });
  }

  changed(): void {
    this.host.requestUpdate();
  }
}
