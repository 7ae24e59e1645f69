import type { ChatMessage } from '@ticket0/contracts';
import {
  forgetCredentials,
  loadCredentials,
  saveCredentials,
  startedKey,
  storageKey,
} from './credentials.js';
import type { ChatCredentials, ChatTransport } from './transport.js';

const localePattern = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

/** What a session uses of the widget (the element). */
export interface SessionHost {
  /** The server base URL: where the tRPC client goes, and the stored session's key. */
  readonly serverUrl: string;
  /** A transport set on the element; without one the tRPC client is loaded. */
  readonly transport: ChatTransport | undefined;
}

/** What tabs of one site tell each other about their shared chat. */
export type TabNews =
  | { type: 'session'; credentials: ChatCredentials; kept: boolean }
  | { type: 'left'; sessionId: string }
  | { type: 'message'; sessionId: string; message: ChatMessage };

/** Runs `task` while no other tab of the site runs one under `name` (Web Locks, when there). */
function exclusively<T>(name: string, task: () => Promise<T>): Promise<T> {
  return navigator.locks ? (navigator.locks.request(name, task) as Promise<T>) : task();
}

/**
 * The visitor's chat session with one server, one per browser: read from localStorage,
 * started on the first call that needs it (`chat.start`, shared by everyone waiting
 * meanwhile, and by every tab: the start runs under a Web Lock and a tab finding a session
 * another tab started joins it), written back once it holds something worth returning to,
 * and forgotten when the server no longer knows it. Tabs tell each other of sessions and
 * stored messages over a BroadcastChannel. It also loads the tRPC client the first time
 * one is needed.
 */
export class ChatSession {
  private readonly host: SessionHost;
  /** The visitor's language tag, sent with `chat.start`. */
  private readonly language: () => string;
  private readonly key: string;
  private credentials: ChatCredentials | null;
  /** True once the credentials are in localStorage (loaded from it, or saved by `keep`). */
  private persisted: boolean;
  /** A `chat.start` in flight, shared by everything that needs the session meanwhile. */
  private starting: Promise<ChatCredentials> | null = null;
  private trpc: { server: string; transport: Promise<ChatTransport> } | undefined;
  private channel: BroadcastChannel | null = null;
  /** Told of what other tabs say (a session to join, a message they stored). */
  onNews: ((news: TabNews) => void) | undefined;

  constructor(host: SessionHost, language: () => string) {
    this.host = host;
    this.language = language;
    this.key = storageKey(host.serverUrl);
    this.credentials = loadCredentials(this.key);
    this.persisted = this.credentials !== null;
    this.credentials ??= loadCredentials(startedKey(this.key));
  }

  /** Starts listening to the other tabs (again, after `close`). */
  listen(): void {
    if (this.channel || typeof BroadcastChannel === 'undefined') return;
    this.channel = new BroadcastChannel(this.key);
    this.channel.onmessage = ({ data }: MessageEvent<TabNews>) => {
      if (data.type === 'session') this.join(data.credentials, data.kept);
      // Another tab started a new conversation: so does this one.
      if (data.type === 'left' && data.sessionId === this.credentials?.sessionId) {
        this.credentials = null;
        this.persisted = false;
      }
      this.onNews?.(data);
    };
  }

  close(): void {
    this.channel?.close();
    this.channel = null;
  }

  /** Tells the other tabs that this tab stored `message` in the session. */
  share(message: ChatMessage): void {
    if (this.credentials)
      this.tell({ type: 'message', sessionId: this.credentials.sessionId, message });
  }

  private tell(news: TabNews): void {
    try {
      this.channel?.postMessage(news);
    } catch {
      // a closed channel: this tab is going away
    }
  }

  /** Another tab's session becomes this tab's when it has none (or the same one, now kept). */
  private join(credentials: ChatCredentials, kept: boolean): void {
    if (this.credentials && this.credentials.sessionId !== credentials.sessionId) return;
    this.credentials ??= credentials;
    if (kept) this.persisted = true;
  }

  /** The session's credentials; null until one is started or after it was forgotten. */
  get current(): ChatCredentials | null {
    return this.credentials;
  }

  /** Whether the session is in localStorage, i.e. it was there on load or has been kept. */
  get stored(): boolean {
    return this.persisted;
  }

  /** The session, started first when there is none; concurrent callers share one start. */
  async open(transport: ChatTransport): Promise<ChatCredentials> {
    if (this.credentials) return this.credentials;
    this.starting ??= exclusively(this.key, () => this.startOrJoin(transport)).finally(
      () => (this.starting = null),
    );
    const credentials = await this.starting;
    this.credentials ??= credentials;
    return this.credentials;
  }

  /**
   * Starts the session ahead of the first send (when the visitor starts typing), so the send
   * is a single round trip and the assistant is asked at once. A failure is left for the send
   * to meet and explain.
   */
  openAhead(): void {
    if (this.credentials) return;
    void this.transport()
      .then((transport) => this.open(transport))
      .catch(() => {});
  }

  /** Under the lock: the session another tab started meanwhile, or a new one. */
  private async startOrJoin(transport: ChatTransport): Promise<ChatCredentials> {
    const kept = loadCredentials(this.key);
    const existing = kept ?? loadCredentials(startedKey(this.key));
    if (existing) {
      this.join(existing, kept !== null);
      return existing;
    }
    const tag = this.language();
    const credentials = await transport.start(localePattern.test(tag) ? { locale: tag } : {});
    saveCredentials(startedKey(this.key), credentials);
    this.tell({ type: 'session', credentials, kept: false });
    return credentials;
  }

  /** Stores the session: it now holds something (a message, an offer, a code). */
  keep(credentials: ChatCredentials): void {
    if (this.persisted || this.credentials !== credentials) return;
    saveCredentials(this.key, credentials);
    forgetCredentials(startedKey(this.key));
    this.persisted = true;
    this.tell({ type: 'session', credentials, kept: true });
  }

  /** Takes `credentials` (a chat continued from another device) as this browser's chat. */
  adopt(credentials: ChatCredentials): void {
    this.leave();
    this.credentials = credentials;
    this.keep(credentials);
  }

  /** Leaves the session for a new conversation, in every tab; the server keeps the old one. */
  leave(): void {
    const left = this.credentials;
    this.forget();
    if (left) this.tell({ type: 'left', sessionId: left.sessionId });
  }

  /** Drops the session (the server no longer knows it); the next call starts another. */
  forget(): void {
    forgetCredentials(this.key);
    forgetCredentials(startedKey(this.key));
    this.credentials = null;
    this.persisted = false;
  }

  /** The element's transport, or the tRPC client for the server, loaded on first use. */
  transport(): Promise<ChatTransport> {
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
}
