import type { ChatMessage } from '@ticket0/contracts';
import type { ReactiveControllerHost } from 'lit';
import type { Ticket0ChatStrings } from './strings.js';
import type { ChatCredentials, ChatTransport, ChatTransportError } from './transport.js';

/** What the panel needs from `<ticket0-chat>`. */
export interface ChatPanelHost extends ReactiveControllerHost, HTMLElement {
  readonly serverUrl: string;
  readonly text: Ticket0ChatStrings;
  readonly transport: ChatTransport | undefined;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** A server call made in the chat session. */
export type SessionCall<T> = (transport: ChatTransport, credentials: ChatCredentials) => Promise<T>;

/**
 * What the panel's parts (escalation offers, feedback, verification) use of the panel: the
 * panel owns the session and the message list, the parts own their own controls.
 */
export interface PanelContext {
  readonly host: ChatPanelHost;
  /** The verified address of this chat, once known. */
  readonly verifiedEmail: string | null;
  /**
   * Runs `call` in the chat session. With `start`, a visitor without a session gets one
   * first (the same lazy `chat.start` as the first send) and the session is kept once the
   * call succeeded; a stored session the server no longer knows is replaced once.
   * Rejects with a `ChatTransportError`.
   */
  request<T>(call: SessionCall<T>, start?: boolean): Promise<T>;
  /** The message with this id as currently shown. */
  message(id: number): ChatMessage | undefined;
  /** A message the server stored: added (firing `t0-message` when new) or updated in place. */
  store(message: ChatMessage): void;
  /** Shows `message` in place of the one with its id (an optimistic or confirmed change). */
  update(message: ChatMessage): void;
  /** Reads `text` out through the polite live region. */
  announce(text: string): void;
  /** The sentence to show for a failure; also fires `t0-error` with it. */
  report(thrown: unknown): { error: ChatTransportError; message: string };
  /** Shows a sentence in the panel's alert line. */
  notify(message: string): void;
  /** Moves focus to the first element matching `selector` once the next render is done. */
  focus(selector: string): void;
  changed(): void;
}
