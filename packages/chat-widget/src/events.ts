import type { ChatMessage, EscalationReason, Rating } from '@ticket0/contracts';

const init: EventInit = { bubbles: true, composed: true };

/** The chat panel opened. */
export class T0OpenEvent extends Event {
  static readonly eventName = 't0-open';
  constructor() {
    super(T0OpenEvent.eventName, init);
  }
}

/** The chat panel closed. */
export class T0CloseEvent extends Event {
  static readonly eventName = 't0-close';
  constructor() {
    super(T0CloseEvent.eventName, init);
  }
}

/**
 * A message was stored by the server: the visitor's own message once the server accepted
 * it, and the reply once it is complete. Not fired for messages loaded from history.
 */
export class T0MessageEvent extends Event {
  static readonly eventName = 't0-message';
  readonly message: ChatMessage;
  constructor(message: ChatMessage) {
    super(T0MessageEvent.eventName, init);
    this.message = message;
  }
}

/**
 * Something went wrong and the visitor was told so. `code` is the server's tRPC error code
 * (`TOO_MANY_REQUESTS`, `UNAUTHORIZED`, …) or one of the widget's own: `NETWORK` (server
 * unreachable), `INTERRUPTED` (the reply stream ended early), `LOAD_FAILED` (the chat code
 * could not be loaded). `message` is the sentence shown to the visitor.
 */
export class T0ErrorEvent extends Event {
  static readonly eventName = 't0-error';
  readonly code: string;
  readonly message: string;
  constructor(code: string, message: string) {
    super(T0ErrorEvent.eventName, init);
    this.code = code;
    this.message = message;
  }
}

/**
 * The visitor confirmed an escalation offer ("Yes, contact me"): the server opened (or
 * added to) a follow-up email ticket and support will write to the visitor.
 */
export class T0EscalateEvent extends Event {
  static readonly eventName = 't0-escalate';
  /** The follow-up email ticket's number. */
  readonly ticketId: number;
  /** Why a human is needed (`human_requested`, `ai_uncertain`, …). */
  readonly reason: EscalationReason | null;
  constructor(ticketId: number, reason: EscalationReason | null) {
    super(T0EscalateEvent.eventName, init);
    this.ticketId = ticketId;
    this.reason = reason;
  }
}

/** The server stored the visitor's rating of a reply; `rating: null` means it was taken back. */
export class T0RateEvent extends Event {
  static readonly eventName = 't0-rate';
  readonly messageId: number;
  readonly rating: Rating | null;
  constructor(messageId: number, rating: Rating | null) {
    super(T0RateEvent.eventName, init);
    this.messageId = messageId;
    this.rating = rating;
  }
}

/** The visitor proved their email address with the emailed code; the chat is now verified. */
export class T0VerifiedEvent extends Event {
  static readonly eventName = 't0-verified';
  readonly email: string;
  constructor(email: string) {
    super(T0VerifiedEvent.eventName, init);
    this.email = email;
  }
}

declare global {
  interface HTMLElementEventMap {
    't0-open': T0OpenEvent;
    't0-close': T0CloseEvent;
    't0-message': T0MessageEvent;
    't0-error': T0ErrorEvent;
    't0-escalate': T0EscalateEvent;
    't0-rate': T0RateEvent;
    't0-verified': T0VerifiedEvent;
  }
}
