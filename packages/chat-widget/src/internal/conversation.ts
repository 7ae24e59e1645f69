import type { ChatMessage } from '@ticket0/contracts';
import { T0ErrorEvent, T0MessageEvent } from '../events.js';
import type { SessionHost } from './session.js';
import { ChatSession } from './session.js';
import type { Ticket0ChatStrings } from './strings.js';
import type { ChatCredentials, ChatTransport } from './transport.js';
import { ChatTransportError, toChatError } from './transport.js';

/** What a conversation uses of the widget it runs in (the element). */
export interface ConversationHost extends SessionHost {
  readonly text: Ticket0ChatStrings;
  /** `t0-message` and `t0-error` go out through here. */
  dispatchEvent(event: Event): boolean;
}

/** Who shows the conversation (the panel): told of every change. */
export interface ConversationView {
  /** The visitor's language tag (the page's `lang`, or the browser's). */
  readonly language: string;
  /** Something shown changed. */
  changed(): void;
  /** Reads `text` out to screen-reader users. */
  announce(text: string): void;
  /** The stored session was dropped (the server no longer knows it); so is what hung on it. */
  sessionForgotten(): void;
  /** A message from the assistant or support is new on this page (for the unread count). */
  arrived?(message: ChatMessage): void;
}

/** A server call made in the chat session. */
export type SessionCall<T> = (transport: ChatTransport, credentials: ChatCredentials) => Promise<T>;

/** A message the visitor wrote, from the moment they press Enter until its reply is stored. */
export interface Outgoing {
  readonly clientMessageId: string;
  readonly text: string;
  /** `stopped`: the visitor pressed Stop while it was in flight. */
  state: 'sending' | 'accepted' | 'failed' | 'stopped';
  /** The sentence shown under a failed message. */
  error?: string;
  /** The reply text shown when Stop was pressed, kept until the stored reply arrives. */
  partial?: string;
}

/**
 * The server stores a stopped or failed reply once it notices the request ended, which can
 * be after the widget's first resync; one more look a moment later picks it up.
 */
const LATE_RESYNC_MS = 1500;

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

/** An AI answer the visitor can rate (not an offer, a confirmation or a system line). */
export const isReply = (message: ChatMessage): boolean =>
  message.author === 'ai' && message.kind === 'text';

/**
 * The chat itself, without its looks: the session (started lazily, kept in localStorage once
 * it holds something, replaced when the server no longer knows it), the message list, and
 * each message's way from send through the streamed reply to stored, failed or stopped,
 * with retries, resyncs from history and the rate-limit countdown.
 */
export class Conversation {
  private readonly host: ConversationHost;
  private readonly view: ConversationView;
  private readonly session: ChatSession;
  private restored = false;

  private list: ChatMessage[] = [];
  private readonly outgoing = new Map<string, Outgoing>();
  private streaming: string | null = null;
  private abort: AbortController | null = null;
  private loading = false;
  private noticeText = '';
  private retryAt = 0;
  private secondsLeft = 0;
  private countdown: ReturnType<typeof setInterval> | undefined;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(host: ConversationHost, view: ConversationView) {
    this.host = host;
    this.view = view;
    this.session = new ChatSession(host, () => view.language);
    this.session.onNews = (news) => {
      // Another tab of the site stored a message in this chat: show it here too.
      if (news.type === 'message' && news.sessionId === this.session.current?.sessionId) {
        const known = this.list.some((m) => m.id === news.message.id);
        this.merge([news.message]);
        if (!known && news.message.author !== 'visitor' && news.message.kind !== 'suppressed')
          view.arrived?.(news.message);
      }
      if (news.type === 'left' && !this.session.current) this.clear();
      this.view.changed();
    };
  }

  /** Keeps in step with the site's other tabs (from connection until `dispose`). */
  listen(): void {
    this.session.listen();
  }

  /** The stored messages, oldest first (suppressed replies are never among them). */
  get messages(): readonly ChatMessage[] {
    return this.list;
  }

  /** Messages the visitor wrote that the server has not stored (yet). */
  get unsent(): Outgoing[] {
    return [...this.outgoing.values()].filter((out) => !this.storedVisitorMessage(out));
  }

  /** The reply being streamed: `''` before the first piece (typing), `null` when idle. */
  get reply(): string | null {
    return this.streaming;
  }

  get loadingHistory(): boolean {
    return this.loading;
  }

  /** The sentence in the panel's alert line, if any. */
  get notice(): string {
    return this.noticeText;
  }

  /** Seconds until the server takes messages again (TOO_MANY_REQUESTS); 0 when it does. */
  get retryIn(): number {
    return this.secondsLeft;
  }

  /** Whether a new message (or a retry) may go out now. */
  get canSend(): boolean {
    return this.streaming === null && this.secondsLeft === 0;
  }

  /** The message the visitor sent as `message` and its state, while it is being followed. */
  outgoingFor(message: ChatMessage): Outgoing | undefined {
    return message.author === 'visitor' && message.clientMessageId
      ? this.outgoing.get(message.clientMessageId)
      : undefined;
  }

  /** The message with this id as currently shown. */
  message(id: number): ChatMessage | undefined {
    return this.list.find((m) => m.id === id);
  }

  /** Fetches the tRPC client ahead of the first send (no-op with a transport set). */
  preload(): void {
    if (!this.host.transport) this.session.transport().catch(() => {});
  }

  /**
   * On the first call, restores the stored session's messages. Resolves to whether there
   * is a stored session to restore.
   */
  restore(): boolean {
    if (this.restored) return false;
    this.restored = true;
    if (!this.session.current) return false;
    void this.loadHistory();
    return true;
  }

  /** Sends what the visitor wrote; false when it cannot go now (nothing to send, busy, waiting). */
  send(text: string): boolean {
    if (!text || !this.canSend) return false;
    const out: Outgoing = { clientMessageId: newClientMessageId(), text, state: 'sending' };
    this.outgoing.set(out.clientMessageId, out);
    void this.deliver(out);
    return true;
  }

  /** Sends a failed message again, with the same `clientMessageId`. */
  retry(out: Outgoing): void {
    if (this.canSend) void this.deliver(out);
  }

  /** Stops the reply being streamed; the server keeps what it had said. */
  stop(): void {
    this.abort?.abort();
  }

  dispose(): void {
    this.session.close();
    this.abort?.abort();
    clearInterval(this.countdown);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.secondsLeft = 0;
  }

  /**
   * Sends one message and follows its reply. The same `clientMessageId` is used for every
   * attempt, so a retry of a message the server already stored returns that message.
   */
  private async deliver(out: Outgoing, mayStartOver = true): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    this.streaming = '';
    this.noticeText = '';
    out.state = 'sending';
    out.error = undefined;
    out.partial = undefined;
    this.view.changed();

    let done = false;
    let storedSession = false;
    /** Set when the stored reply is not a plain answer: see `catchUp`. */
    let catchUpAfter: number | undefined;
    try {
      const transport = await this.session.transport();
      const credentials = await this.session.open(transport);
      storedSession = this.session.stored;
      if (abort.signal.aborted) throw abort.signal.reason;
      const input = { clientMessageId: out.clientMessageId, text: out.text };
      for await (const event of transport.send(credentials, input, abort.signal)) {
        if (event.type === 'accepted') {
          out.state = 'accepted';
          // The session is worth keeping only once it holds a message.
          this.session.keep(credentials);
          this.store(event.message);
        } else if (event.type === 'delta') {
          this.streaming = (this.streaming ?? '') + event.text;
        } else {
          done = true;
          this.streaming = null;
          this.outgoing.delete(out.clientMessageId);
          this.store(event.message);
          if (isReply(event.message)) this.view.announce(event.message.body);
          else catchUpAfter = this.storedVisitorMessage(out)?.id ?? event.message.id - 1;
        }
        this.view.changed();
      }
      if (!done) throw new ChatTransportError('INTERRUPTED', this.host.text.replyFailed);
    } catch (thrown) {
      if (abort.signal.aborted) {
        out.state = 'stopped';
        out.partial = this.streaming ?? '';
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
    const credentials = this.session.current;
    if (credentials) {
      try {
        const transport = await this.session.transport();
        const { messages } = await transport.history(credentials, { afterId });
        if (this.session.current === credentials)
          for (const message of messages) this.store(message);
      } catch {
        // What the stream delivered stays on screen; the next open resyncs.
      }
    }
    const fresh = this.list.filter((m) => m.id > afterId && m.author !== 'visitor');
    this.view.announce(fresh.map((m) => m.body).join(' '));
    this.view.changed();
  }

  private release(abort: AbortController): void {
    if (this.abort !== abort) return;
    this.abort = null;
    this.streaming = null;
    this.view.changed();
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
    const credentials = this.session.current;
    if (credentials && this.session.stored) {
      try {
        const transport = await this.session.transport();
        const afterId = this.list.at(-1)?.id;
        const { messages } = await transport.history(
          credentials,
          afterId === undefined ? {} : { afterId },
        );
        if (this.session.current === credentials) this.merge(messages);
      } catch {
        // The failure is already on screen; the next open or send tries again.
      }
    }
    // A retry may have taken over meanwhile; it settles the message itself.
    if (out.state !== 'stopped' && out.state !== 'failed') return this.view.changed();

    const stored = this.storedVisitorMessage(out);
    const answered = stored !== undefined && this.list.some((m) => m.replyToId === stored.id);
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
    this.view.changed();
  }

  private async loadHistory(): Promise<void> {
    const credentials = this.session.current;
    if (!credentials) return;
    this.loading = true;
    this.view.changed();
    try {
      const { messages } = await (await this.session.transport()).history(credentials, {});
      if (this.session.current === credentials) this.merge(messages);
    } catch (thrown) {
      const error = toChatError(thrown);
      if (isSessionGone(error)) {
        this.forgetSession();
      } else {
        this.noticeText = this.host.text.historyError;
        this.host.dispatchEvent(new T0ErrorEvent(error.code, this.noticeText));
      }
    } finally {
      this.loading = false;
      this.view.changed();
    }
  }

  /**
   * "New conversation": this browser leaves the chat (in every tab) and the next message
   * starts another. The old chat stays with support.
   */
  startOver(): void {
    this.session.leave();
    this.clear();
  }

  /** Continues another chat of the same verified customer here, with its history. */
  async switchTo(sessionId: string): Promise<void> {
    const credentials = await this.request((transport, current) =>
      transport.continueConversation(current, { sessionId }),
    );
    this.clear();
    this.session.adopt(credentials);
    await this.loadHistory();
  }

  /** Deletes this chat on the server for good; the next message starts another. */
  async deleteCurrent(): Promise<void> {
    await this.request((transport, credentials) => transport.deleteConversation(credentials));
    this.startOver();
  }

  private clear(): void {
    this.abort?.abort();
    this.outgoing.clear();
    this.list = [];
    this.noticeText = '';
    this.view.sessionForgotten();
    this.view.changed();
  }

  private forgetSession(): void {
    this.session.forget();
    this.list = [];
    this.view.sessionForgotten();
  }


  /** Starts the chat session while the visitor types their first message (ChatSession.openAhead). */
  startSessionAhead(): void {
    this.session.openAhead();
  }

  /**
   * Runs `call` in the chat session. With `start`, a visitor without a session gets one
   * first (the same lazy `chat.start` as the first send) and the session is kept once the
   * call succeeded; a stored session the server no longer knows is replaced once.
   * Rejects with a `ChatTransportError`.
   */
  async request<T>(call: SessionCall<T>, start = false): Promise<T> {
    const transport = await this.session.transport().catch((thrown: unknown) => {
      throw toChatError(thrown);
    });
    if (!this.session.current && !start) throw new ChatTransportError('UNAUTHORIZED', '');
    const credentials = await this.session.open(transport).catch((thrown: unknown) => {
      throw toChatError(thrown);
    });
    const storedSession = this.session.stored;
    try {
      const result = await call(transport, credentials);
      // Like a first message, a first offer or code makes the session worth keeping.
      if (start) this.session.keep(credentials);
      return result;
    } catch (thrown) {
      const error = toChatError(thrown);
      // Only session-wide calls start over: for an offer or a reply, NOT_FOUND means the
      // item, not the session.
      if (start && storedSession && isSessionGone(error) && this.session.current === credentials) {
        this.forgetSession();
        return this.request(call, start);
      }
      throw error;
    }
  }

  /** A message the server stored: added (firing `t0-message` when new) or updated in place. */
  store(message: ChatMessage): void {
    // A retry that returns a message this page already saw is not news.
    const known = this.list.some((m) => m.id === message.id);
    this.merge([message]);
    this.session.share(message);
    if (!known && message.kind !== 'suppressed') {
      this.host.dispatchEvent(new T0MessageEvent(message));
      if (message.author !== 'visitor') this.view.arrived?.(message);
    }
  }

  /** Shows `message` in place of the one with its id (an optimistic or confirmed change). */
  update(message: ChatMessage): void {
    this.merge([message]);
    this.session.share(message);
    this.view.changed();
  }

  /** The sentence to show for a failure; also fires `t0-error` with it. */
  report(thrown: unknown): { error: ChatTransportError; message: string } {
    const error = toChatError(thrown);
    const message = this.explain(error);
    this.host.dispatchEvent(new T0ErrorEvent(error.code, message));
    return { error, message };
  }

  /** Shows a sentence in the panel's alert line (empty clears it). */
  notify(message: string): void {
    this.noticeText = message;
    this.view.changed();
  }

  private merge(incoming: readonly ChatMessage[]): void {
    // Suppressed replies are for operators only; should a server send one, it is not shown.
    const shown = incoming.filter((m) => m.kind !== 'suppressed');
    if (!shown.length) return;
    const byId = new Map(this.list.map((m) => [m.id, m]));
    for (const message of shown) byId.set(message.id, message);
    this.list = [...byId.values()].sort((a, b) => a.id - b.id);
  }

  private storedVisitorMessage(out: Outgoing): ChatMessage | undefined {
    return this.list.find(
      (m) => m.author === 'visitor' && m.clientMessageId === out.clientMessageId,
    );
  }

  private startCountdown(seconds: number): void {
    this.retryAt = Date.now() + seconds * 1000;
    clearInterval(this.countdown);
    const tick = (): void => {
      this.secondsLeft = Math.max(0, Math.ceil((this.retryAt - Date.now()) / 1000));
      if (!this.secondsLeft) clearInterval(this.countdown);
      this.view.changed();
    };
    tick();
    this.countdown = setInterval(tick, 1000);
  }
}
