import type { ReactiveControllerHost } from 'lit';
import type { Conversation } from './conversation.js';
import type { Ticket0ChatStrings } from './strings.js';
import type { ChatTransport } from './transport.js';

/** What the panel needs from `<ticket0-chat>`. */
export interface ChatPanelHost extends ReactiveControllerHost, HTMLElement {
  readonly serverUrl: string;
  readonly text: Ticket0ChatStrings;
  /** The visitor's language tag, sent with `chat.start`. */
  readonly languageTag: string;
  readonly transport: ChatTransport | undefined;
  /** The host site's signed identity for its signed-in visitor, if any. */
  readonly identity?: string | undefined;
  readonly renderRoot: ShadowRoot;
  /** Counts a message that arrived, for the launcher's unread badge (while closed). */
  noteArrival(): void;
}

/**
 * What the panel's parts (escalation offers, feedback, verification) use of the panel: the
 * conversation's session and messages, and the panel's focus and live region. The parts own
 * their own controls.
 */
export interface PanelContext extends Pick<
  Conversation,
  'request' | 'message' | 'store' | 'update' | 'report' | 'notify'
> {
  readonly host: ChatPanelHost;
  /** The verified address of this chat, once known. */
  readonly verifiedEmail: string | null;
  /** Reads `text` out through the polite live region. */
  announce(text: string): void;
  /** Moves focus to the first element matching `selector` once the next render is done. */
  focus(selector: string): void;
  changed(): void;
}
