import type { ChatMessage, Citation } from '@ticket0/contracts';
import type { ReactiveController, TemplateResult } from 'lit';
import { adoptStyles, html, nothing, supportsAdoptingStyleSheets } from 'lit';
import { T0ErrorEvent, T0MessageEvent } from '../events.js';
import type { ChatPanelHost, PanelContext, SessionCall } from './context.js';
import { forgetCredentials, loadCredentials, saveCredentials, storageKey } from './credentials.js';
import { Escalation } from './escalation.js';
import { Feedback } from './feedback.js';
import { linkify, safeHref } from './linkify.js';
import panelStyles from './panel.styles.js';
import { format } from './strings.js';
import type { ChatCredentials, ChatTransport } from './transport.js';
import { ChatTransportError, toChatError } from './transport.js';
import { Verification } from './verification.js';

export type { ChatPanelHost } from './context.js';

/** A message the visitor wrote, from the moment they press Enter until its reply is stored. */
interface Outgoing {
  clientMessageId: string;
  text: string;
  /** `stopped`: the visitor pressed Stop while it was in flight. */
  state: 'sending' | 'accepted' | 'failed' | 'stopped';
  /** The sentence shown under a failed message. */
  error?: string;
  /** The reply text shown when Stop was pressed, kept until the stored reply arrives. */
  partial?: string;
}

const MAX_MESSAGE_LENGTH = 4000;
/**
 * The server stores a stopped or failed reply once it notices the request ended, which can
 * be after the widget's first resync; one more look a moment later picks it up.
 */
const LATE_RESYNC_MS = 1500;
const localePattern = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

/** 22 url-safe characters from 16 random bytes; works on plain-http pages too. */
export function newClientMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function isSessionGone(error: ChatTransportError): boolean {
  return error.code === 'UNAUTHORIZED' || error.code === 'NOT_FOUND';
}

/** The panel's own styles join the element's (which the launcher stage brought). */
function addStyles(root: HTMLElement | DocumentFragment): void {
  if (!(root instanceof ShadowRoot)) return;
  if (supportsAdoptingStyleSheets && panelStyles.styleSheet) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, panelStyles.styleSheet];
  } else {
    adoptStyles(root, [panelStyles]); // appends a <style> element
  }
}

/** An AI answer the visitor can rate (not an offer, a confirmation or a system line). */
const isReply = (message: ChatMessage): boolean => message.author === 'ai' && message.kind === 'text';

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
 * The conversation: loaded on first open together with the tRPC client, so the launcher
 * stays small. Renders the messages, the composer and the live region into the host's
 * panel, and owns the session, the streaming reply, retries and the rate-limit countdown.
 * Escalation offers, feedback and verification are parts of their own that work through
 * the `PanelContext` this class provides.
 */
export class ChatPanel implements ReactiveController, PanelContext {
  readonly host: ChatPanelHost;
  private readonly key: string;
  private credentials: ChatCredentials | null;
  /** A `chat.start` in flight, shared by everything that needs the session meanwhile. */
  private starting: Promise<ChatCredentials> | null = null;
  /** True once the credentials are in localStorage (loaded from it, or saved on accept). */
  private persisted: boolean;
  private historyRequested = false;
  private loadingHistory = false;

  private messages: ChatMessage[] = [];
  private readonly outgoing = new Map<string, Outgoing>();
  /** The reply being streamed: `''` before the first delta (typing), `null` when idle. */
  private reply: string | null = null;
  private abort: AbortController | null = null;

  private notice = '';
  private announcement = '';
  private retryAt = 0;
  private retryIn = 0;
  private countdown: ReturnType<typeof setInterval> | undefined;
  private stickToBottom = true;
  private trpc: { server: string; transport: Promise<ChatTransport> } | undefined;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  private readonly escalation = new Escalation(this);
  private readonly feedback = new Feedback(this);
  private readonly verification = new Verification(this);
  /** The latest AI reply; it offers verification when it mentions verifying. */
  private lastReplyId = 0;

  constructor(host: ChatPanelHost) {
    this.host = host;
    this.key = storageKey(host.serverUrl);
    this.credentials = loadCredentials(this.key);
    this.persisted = this.credentials !== null;
    host.addController(this);
    addStyles(host.renderRoot);
    // Fetch the tRPC client while the visitor reads the greeting, not when they hit Send.
    if (!host.transport) this.transport().catch(() => {});
  }

  hostDisconnected(): void {
    this.abort?.abort();
    clearInterval(this.countdown);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.retryIn = 0;
    this.verification.dispose();
  }

  hostUpdated(): void {
    const list = this.host.renderRoot.querySelector<HTMLElement>('.messages');
    if (list && this.stickToBottom) list.scrollTop = list.scrollHeight;
  }

  /** Called each time the panel opens. Restores the conversation on the first open. */
  opened(): void {
    if (this.historyRequested) return;
    this.historyRequested = true;
    if (!this.credentials) return;
    void this.loadHistory();
    void this.verification.restore();
  }

  focusInput(): void {
    const selector = this.verification.step ? this.verification.field : '.composer textarea';
    this.host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  /** Goes under the title in the header: the verified badge. */
  renderBadge(): TemplateResult | typeof nothing {
    return this.verification.renderBadge();
  }

  render(): TemplateResult {
    const t = this.host.text;
    const busy = this.reply !== null;
    const unsent = [...this.outgoing.values()].filter((out) => !this.storedVisitorMessage(out));
    const empty = !this.messages.length && !unsent.length && !busy && !this.loadingHistory;
    const verifying = this.verification.step !== null;
    this.lastReplyId = 0;
    for (const m of this.messages) if (isReply(m)) this.lastReplyId = m.id;
    return html`
      <div part="actions" class="actions">
        ${this.escalation.renderAction()} ${this.verification.renderOpener('action verify-open')}
      </div>
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
        ${this.loadingHistory ? html`<p class="status">${t.loading}</p>` : nothing}
        ${empty ? html`<p class="status greeting">${t.greeting}</p>` : nothing}
        ${this.messages.map(this.renderMessage)} ${unsent.map(this.renderUnsent)}
        ${busy ? this.renderReply(this.reply ?? '') : nothing}
      </div>
      ${this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : nothing}
      ${this.retryIn > 0
        ? html`<p class="notice countdown">${format(t.retryIn, { s: this.retryIn })}</p>`
        : nothing}
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
        ${busy
          ? html`<button type="button" class="stop" @click=${this.stop}>${t.stop}</button>`
          : html`<button type="submit" class="send" ?disabled=${this.retryIn > 0}>
              ${t.send}
            </button>`}
      </form>
    `;
  }

  // Handlers are arrow functions: Lit calls listeners with the host element as `this`.

  private readonly renderMessage = (message: ChatMessage): TemplateResult => {
    const t = this.host.text;
    const mine = message.author === 'visitor';
    const out = mine && message.clientMessageId ? this.outgoing.get(message.clientMessageId) : undefined;
    const reply = isReply(message);
    const suggestVerifying =
      reply && message.id === this.lastReplyId && /\bverif/i.test(message.body);
    return html`<div
      class="message ${mine ? 'mine' : 'theirs'} ${message.author} ${message.kind}"
      data-id=${message.id}
    >
      <p class="bubble"><span class="sr-only">${mine ? t.visitorLabel : t.replyLabel}: </span>${mine
          ? message.body
          : linked(message.body)}</p>
      ${message.citations?.length ? this.renderSources(message.id, message.citations) : nothing}
      ${message.interrupted ? html`<p class="meta">${t.interrupted}</p>` : nothing}
      ${message.kind === 'escalation_offer' ? this.escalation.renderOffer(message) : nothing}
      ${reply ? this.feedback.render(message) : nothing}
      ${suggestVerifying ? this.verification.renderOpener('link verify-suggest') : nothing}
      ${out?.state === 'failed' ? this.renderFailure(out) : nothing}
    </div>
    ${out?.state === 'stopped' && out.partial
      ? html`<div class="message theirs stopped">
          <p class="bubble"><span class="sr-only">${t.replyLabel}: </span>${linked(out.partial)}</p>
          <p class="meta">${t.interrupted}</p>
        </div>`
      : nothing}`;
  };

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
            ${href
              ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${citation.title}</a>`
              : citation.title}
          </li>`;
        })}
      </ul>
    </div>`;
  }

  private readonly renderUnsent = (out: Outgoing): TemplateResult => {
    const t = this.host.text;
    return html`<div class="message mine pending" data-client-message-id=${out.clientMessageId}>
      <p class="bubble"><span class="sr-only">${t.visitorLabel}: </span>${out.text}</p>
      ${out.state === 'failed'
        ? this.renderFailure(out)
        : html`<p class="meta">${t.sending}</p>`}
    </div>`;
  };

  private renderFailure(out: Outgoing): TemplateResult {
    return html`<p class="meta error" role="alert">${out.error}</p>
      <button
        type="button"
        class="retry"
        ?disabled=${this.reply !== null || this.retryIn > 0}
        @click=${() => this.retry(out)}
      >
        ${this.host.text.retry}
      </button>`;
  }

  private renderReply(text: string): TemplateResult {
    const t = this.host.text;
    return html`<div class="message theirs streaming" aria-busy="true">
      ${text
        ? html`<p class="bubble"><span class="sr-only">${t.replyLabel}: </span>${linked(text)}</p>`
        : html`<p class="bubble typing">
            <span class="sr-only">${t.typing}</span><i></i><i></i><i></i>
          </p>`}
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
    if (this.credentials || this.starting) return;
    if (!(event.currentTarget as HTMLTextAreaElement).value.trim()) return;
    void this.transport()
      .then((transport) => this.session(transport))
      .catch(() => {});
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
    this.abort?.abort();
    this.focusInput();
  };

  private submit(): void {
    const input = this.host.renderRoot.querySelector<HTMLTextAreaElement>('.composer textarea');
    const text = input?.value.trim() ?? '';
    if (!input || !text || this.reply !== null || this.retryIn > 0) return;
    input.value = '';
    const out: Outgoing = { clientMessageId: newClientMessageId(), text, state: 'sending' };
    this.outgoing.set(out.clientMessageId, out);
    this.stickToBottom = true;
    void this.deliver(out);
  }

  private retry(out: Outgoing): void {
    if (this.reply !== null || this.retryIn > 0) return;
    void this.deliver(out);
  }

  /**
   * Sends one message and follows its reply. The same `clientMessageId` is used for every
   * attempt, so a retry of a message the server already stored returns that message.
   */
  private async deliver(out: Outgoing, mayStartOver = true): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    this.reply = '';
    this.notice = '';
    out.state = 'sending';
    out.error = undefined;
    out.partial = undefined;
    this.changed();

    let done = false;
    let storedSession = false;
    /** Set when the stored reply is not a plain answer: see `catchUp`. */
    let catchUpAfter: number | undefined;
    try {
      const transport = await this.transport();
      const credentials = await this.session(transport);
      storedSession = this.persisted;
      if (abort.signal.aborted) throw abort.signal.reason;
      const input = { clientMessageId: out.clientMessageId, text: out.text };
      for await (const event of transport.send(credentials, input, abort.signal)) {
        if (event.type === 'accepted') {
          out.state = 'accepted';
          // The session is worth keeping only once it holds a message.
          if (!this.persisted && this.credentials === credentials) {
            saveCredentials(this.key, credentials);
            this.persisted = true;
          }
          this.store(event.message);
        } else if (event.type === 'delta') {
          this.reply = (this.reply ?? '') + event.text;
        } else {
          done = true;
          this.reply = null;
          this.outgoing.delete(out.clientMessageId);
          this.store(event.message);
          if (isReply(event.message)) this.announce(event.message.body);
          else catchUpAfter = this.storedVisitorMessage(out)?.id ?? event.message.id - 1;
        }
        this.changed();
      }
      if (!done) throw new ChatTransportError('INTERRUPTED', this.host.text.replyFailed);
    } catch (thrown) {
      if (abort.signal.aborted) {
        out.state = 'stopped';
        out.partial = this.reply ?? '';
      } else {
        const error = toChatError(thrown);
        if (isSessionGone(error) && storedSession && mayStartOver) {
          // The stored session expired or was deleted: start a new one and send again.
          this.forgetSession();
          this.release(abort);
          return this.deliver(out, false);
        }
        this.fail(out, error);
      }
    } finally {
      this.release(abort);
    }
    if (!done) await this.resync(out);
    else if (catchUpAfter !== undefined) await this.catchUp(catchUpAfter);
  }

  /**
   * The stream ended in something other than a plain answer: an escalation offer in place
   * of the streamed text (after a safety hold-back, say). The server may have stored other
   * words than were streamed, and more than one message, so the list is fetched again from
   * the visitor's message on and what is new is read out.
   */
  private async catchUp(afterId: number): Promise<void> {
    const credentials = this.credentials;
    if (credentials) {
      try {
        const transport = await this.transport();
        const { messages } = await transport.history(credentials, { afterId });
        if (this.credentials === credentials) for (const message of messages) this.store(message);
      } catch {
        // What the stream delivered stays on screen; the next open resyncs.
      }
    }
    const fresh = this.messages.filter((m) => m.id > afterId && m.author !== 'visitor');
    this.announce(fresh.map((m) => m.body).join(' '));
    this.changed();
  }

  private release(abort: AbortController): void {
    if (this.abort !== abort) return;
    this.abort = null;
    this.reply = null;
    this.changed();
  }

  private fail(out: Outgoing, error: ChatTransportError): void {
    const message = this.explain(error);
    out.state = 'failed';
    out.error = message;
    if (error.code === 'TOO_MANY_REQUESTS' && error.retryAfterSeconds) {
      this.startCountdown(error.retryAfterSeconds);
    }
    this.host.dispatchEvent(new T0ErrorEvent(error.code, message));
  }

  private explain(error: ChatTransportError): string {
    const t = this.host.text;
    // tRPC reports any unexpected exception as INTERNAL_SERVER_ERROR with the exception's
    // own message, which is not written for visitors.
    if (error.code === 'INTERNAL_SERVER_ERROR') return t.serverError;
    if (error.message) return error.message;
    return error.code === 'INTERRUPTED' ? t.replyFailed : t.networkError;
  }

  /** After a stop or a broken stream: fetch what the server stored meanwhile. */
  private async resync(out: Outgoing, lookAgain = true): Promise<void> {
    const credentials = this.credentials;
    if (credentials && this.persisted) {
      try {
        const transport = await this.transport();
        const afterId = this.messages.at(-1)?.id;
        const { messages } = await transport.history(
          credentials,
          afterId === undefined ? {} : { afterId },
        );
        if (this.credentials === credentials) this.merge(messages);
      } catch {
        // The failure is already on screen; the next open or send tries again.
      }
    }
    // A retry may have taken over meanwhile; it settles the message itself.
    if (out.state !== 'stopped' && out.state !== 'failed') return this.changed();

    const stored = this.storedVisitorMessage(out);
    const answered = stored !== undefined && this.messages.some((m) => m.replyToId === stored.id);
    if (answered || (stored && out.state === 'stopped' && !out.partial)) {
      this.outgoing.delete(out.clientMessageId);
    } else if (!stored && out.state === 'stopped') {
      out.state = 'failed';
      out.error = this.host.text.notSent;
    }
    if (stored && !answered && lookAgain) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.resync(out, false);
      }, LATE_RESYNC_MS);
      this.timers.add(timer);
    }
    this.changed();
  }

  private async loadHistory(): Promise<void> {
    const credentials = this.credentials;
    if (!credentials) return;
    this.loadingHistory = true;
    this.changed();
    try {
      const { messages } = await (await this.transport()).history(credentials, {});
      if (this.credentials === credentials) this.merge(messages);
    } catch (thrown) {
      const error = toChatError(thrown);
      if (isSessionGone(error)) {
        this.forgetSession();
      } else {
        this.notice = this.host.text.historyError;
        this.host.dispatchEvent(new T0ErrorEvent(error.code, this.notice));
      }
    } finally {
      this.loadingHistory = false;
      this.changed();
    }
  }

  private forgetSession(): void {
    forgetCredentials(this.key);
    this.credentials = null;
    this.persisted = false;
    this.messages = [];
    this.verification.forget();
  }

  /** The session, started first when there is none; concurrent callers share one start. */
  private async session(transport: ChatTransport): Promise<ChatCredentials> {
    if (this.credentials) return this.credentials;
    this.starting ??= transport.start(this.locale()).finally(() => (this.starting = null));
    const credentials = await this.starting;
    this.credentials ??= credentials;
    return this.credentials;
  }

  // PanelContext: what the escalation, feedback and verification parts use.

  get verifiedEmail(): string | null {
    return this.verification.verifiedEmail;
  }

  async request<T>(call: SessionCall<T>, start = false): Promise<T> {
    const transport = await this.transport().catch((thrown: unknown) => {
      throw toChatError(thrown);
    });
    if (!this.credentials && !start) throw new ChatTransportError('UNAUTHORIZED', '');
    const credentials = await this.session(transport).catch((thrown: unknown) => {
      throw toChatError(thrown);
    });
    const storedSession = this.persisted;
    try {
      const result = await call(transport, credentials);
      // Like a first message, a first offer or code makes the session worth keeping.
      if (start && !this.persisted && this.credentials === credentials) {
        saveCredentials(this.key, credentials);
        this.persisted = true;
      }
      return result;
    } catch (thrown) {
      const error = toChatError(thrown);
      // Only session-wide calls start over: for an offer or a reply, NOT_FOUND means the
      // item, not the session.
      if (start && storedSession && isSessionGone(error) && this.credentials === credentials) {
        this.forgetSession();
        return this.request(call, start);
      }
      throw error;
    }
  }

  message(id: number): ChatMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  /** A message this page saw the server store; a retry that returns it again is not news. */
  store(message: ChatMessage): void {
    const known = this.messages.some((m) => m.id === message.id);
    this.merge([message]);
    if (!known && message.kind !== 'suppressed') this.host.dispatchEvent(new T0MessageEvent(message));
  }

  update(message: ChatMessage): void {
    this.merge([message]);
    this.changed();
  }

  report(thrown: unknown): { error: ChatTransportError; message: string } {
    const error = toChatError(thrown);
    const message = this.explain(error);
    this.host.dispatchEvent(new T0ErrorEvent(error.code, message));
    return { error, message };
  }

  notify(message: string): void {
    this.notice = message;
    this.changed();
  }

  focus(selector: string): void {
    this.changed(); // so the wait below includes the render that shows the target
    void this.host.updateComplete.then(() =>
      this.host.renderRoot.querySelector<HTMLElement>(selector)?.focus(),
    );
  }

  private merge(incoming: readonly ChatMessage[]): void {
    // Suppressed replies are for operators only; should a server send one, it is not shown.
    const shown = incoming.filter((m) => m.kind !== 'suppressed');
    if (!shown.length) return;
    const byId = new Map(this.messages.map((m) => [m.id, m]));
    for (const message of shown) byId.set(message.id, message);
    this.messages = [...byId.values()].sort((a, b) => a.id - b.id);
  }

  private storedVisitorMessage(out: Outgoing): ChatMessage | undefined {
    return this.messages.find(
      (m) => m.author === 'visitor' && m.clientMessageId === out.clientMessageId,
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

  private startCountdown(seconds: number): void {
    this.retryAt = Date.now() + seconds * 1000;
    clearInterval(this.countdown);
    const tick = (): void => {
      this.retryIn = Math.max(0, Math.ceil((this.retryAt - Date.now()) / 1000));
      if (!this.retryIn) clearInterval(this.countdown);
      this.changed();
    };
    tick();
    this.countdown = setInterval(tick, 1000);
  }

  private locale(): { locale?: string } {
    const tag = this.host.closest<HTMLElement>('[lang]')?.lang || navigator.language;
    return localePattern.test(tag) ? { locale: tag } : {};
  }

  private transport(): Promise<ChatTransport> {
    if (this.host.transport) return Promise.resolve(this.host.transport);
    const server = this.host.serverUrl;
    if (this.trpc?.server !== server) {
      const transport = import('./trpc-transport.js').then(
        (module) => module.createTrpcTransport(server),
        (error: unknown) => {
          this.trpc = undefined; // a later attempt may load it
          throw error;
        },
      );
      this.trpc = { server, transport };
    }
    return this.trpc.transport;
  }

  changed(): void {
    this.host.requestUpdate();
  }
}
