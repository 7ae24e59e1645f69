import type { ChatMessage } from '@ticket0/contracts';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import { html, nothing } from 'lit';
import { T0ErrorEvent, T0MessageEvent } from '../events.js';
import { forgetCredentials, loadCredentials, saveCredentials, storageKey } from './credentials.js';
import { linkify } from './linkify.js';
import type { Ticket0ChatStrings } from './strings.js';
import { format } from './strings.js';
import type { ChatCredentials, ChatTransport } from './transport.js';
import { ChatTransportError, toChatError } from './transport.js';

/** What the panel needs from `<ticket0-chat>`. */
export interface ChatPanelHost extends ReactiveControllerHost, HTMLElement {
  readonly serverUrl: string;
  readonly text: Ticket0ChatStrings;
  readonly transport: ChatTransport | undefined;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

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
 */
export class ChatPanel implements ReactiveController {
  private readonly host: ChatPanelHost;
  private readonly key: string;
  private credentials: ChatCredentials | null;
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

  constructor(host: ChatPanelHost) {
    this.host = host;
    this.key = storageKey(host.serverUrl);
    this.credentials = loadCredentials(this.key);
    this.persisted = this.credentials !== null;
    host.addController(this);
    // Fetch the tRPC client while the visitor reads the greeting, not when they hit Send.
    if (!host.transport) this.transport().catch(() => {});
  }

  hostDisconnected(): void {
    this.abort?.abort();
    clearInterval(this.countdown);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.retryIn = 0;
  }

  hostUpdated(): void {
    const list = this.host.renderRoot.querySelector<HTMLElement>('.messages');
    if (list && this.stickToBottom) list.scrollTop = list.scrollHeight;
  }

  /** Called each time the panel opens. Restores the conversation on the first open. */
  opened(): void {
    if (this.historyRequested) return;
    this.historyRequested = true;
    if (this.credentials) void this.loadHistory();
  }

  focusInput(): void {
    this.host.renderRoot.querySelector('textarea')?.focus();
  }

  render(): TemplateResult {
    const t = this.host.text;
    const busy = this.reply !== null;
    const unsent = [...this.outgoing.values()].filter((out) => !this.storedVisitorMessage(out));
    const empty = !this.messages.length && !unsent.length && !busy && !this.loadingHistory;
    return html`
      <div
        part="messages"
        class="messages"
        role="log"
        aria-live="off"
        aria-label=${t.messagesLabel}
        tabindex="0"
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
      <form part="composer" class="composer" @submit=${this.onSubmit}>
        <textarea
          rows="1"
          maxlength=${MAX_MESSAGE_LENGTH}
          aria-label=${t.inputLabel}
          placeholder=${t.placeholder}
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
    return html`<div
      class="message ${mine ? 'mine' : 'theirs'} ${message.author}"
      data-id=${message.id}
    >
      <p class="bubble"><span class="sr-only">${mine ? t.visitorLabel : t.replyLabel}: </span>${mine
          ? message.body
          : linked(message.body)}</p>
      ${message.interrupted ? html`<p class="meta">${t.interrupted}</p>` : nothing}
      ${out?.state === 'failed' ? this.renderFailure(out) : nothing}
    </div>
    ${out?.state === 'stopped' && out.partial
      ? html`<div class="message theirs stopped">
          <p class="bubble"><span class="sr-only">${t.replyLabel}: </span>${linked(out.partial)}</p>
          <p class="meta">${t.interrupted}</p>
        </div>`
      : nothing}`;
  };

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
    const input = this.host.renderRoot.querySelector('textarea');
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
    try {
      const transport = await this.transport();
      if (!this.credentials) this.credentials = await transport.start(this.locale());
      const credentials = this.credentials;
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
          this.announce(event.message.body);
          this.store(event.message);
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
  }

  /** A message this page saw the server store; a retry that returns it again is not news. */
  private store(message: ChatMessage): void {
    const known = this.messages.some((m) => m.id === message.id);
    this.merge([message]);
    if (!known) this.host.dispatchEvent(new T0MessageEvent(message));
  }

  private merge(incoming: readonly ChatMessage[]): void {
    if (!incoming.length) return;
    const byId = new Map(this.messages.map((m) => [m.id, m]));
    for (const message of incoming) byId.set(message.id, message);
    this.messages = [...byId.values()].sort((a, b) => a.id - b.id);
  }

  private storedVisitorMessage(out: Outgoing): ChatMessage | undefined {
    return this.messages.find(
      (m) => m.author === 'visitor' && m.clientMessageId === out.clientMessageId,
    );
  }

  private announce(text: string): void {
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

  private changed(): void {
    this.host.requestUpdate();
  }
}
