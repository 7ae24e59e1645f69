import { forgetCredentials, loadCredentials, saveCredentials, storageKey } from './credentials.js';
import type { ChatCredentials, ChatTransport } from './transport.js';

const localePattern = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

/** What a session uses of the widget (the element). */
export interface SessionHost {
  /** The server base URL: where the tRPC client goes, and the stored session's key. */
  readonly serverUrl: string;
  /** A transport set on the element; without one the tRPC client is loaded. */
  readonly transport: ChatTransport | undefined;
}

/**
 * The visitor's chat session with one server: read from localStorage, started on the first
 * call that needs it (`chat.start`, shared by everyone waiting meanwhile), written back once
 * it holds something worth returning to, and forgotten when the server no longer knows it.
 * It also loads the tRPC client the first time one is needed.
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

  constructor(host: SessionHost, language: () => string) {
    this.host = host;
    this.language = language;
    this.key = storageKey(host.serverUrl);
    this.credentials = loadCredentials(this.key);
    this.persisted = this.credentials !== null;
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
    const tag = this.language();
    this.starting ??= transport
      .start(localePattern.test(tag) ? { locale: tag } : {})
      .finally(() => (this.starting = null));
    const credentials = await this.starting;
    this.credentials ??= credentials;
    return this.credentials;
  }

  /** Stores the session: it now holds something (a message, an offer, a code). */
  keep(credentials: ChatCredentials): void {
    if (this.persisted || this.credentials !== credentials) return;
    saveCredentials(this.key, credentials);
    this.persisted = true;
  }

  /** Drops the session (the server no longer knows it); the next call starts another. */
  forget(): void {
    forgetCredentials(this.key);
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
