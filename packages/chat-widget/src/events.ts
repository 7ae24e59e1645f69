import type { ChatMessage, EscalationReason, Rating } from '@ticket0/contracts';

/** Every widget event bubbles and crosses the shadow boundary, so the page hears it anywhere. */
abstract class T0Event extends Event {
  constructor(type: string) {
    super(type, { bubbles: true, composed: true });
  }
}

/** The chat panel opened. */
export class T0OpenEvent extends T0Event {
  static readonly eventName = 't0-open';
  constructor() {
    super(T0OpenEvent.eventName);
  }
}

/** The chat panel closed. */
export class T0CloseEvent extends T0Event {
  static readonly eventName = 't0-close';
  constructor() {
    super(T0CloseEvent.eventName);
  }
}

/**
 * A message was stored by the server: the visitor's own message once the server accepted
 * it, and the reply once it is complete. Not fired for messages loaded from history.
 */
export class T0MessageEvent extends T0Event {
  static readonly eventName = 't0-message';
  constructor(readonly message: ChatMessage) {
    super(T0MessageEvent.eventName);
  }
}

/**
 * Something went wrong and the visitor was told so. `code` is the server's tRPC error code
 * (`TOO_MANY_REQUESTS`, `UNAUTHORIZED`, …) or one of the widget's own: `NETWORK` (server
 * unreachable), `INTERRUPTED` (the reply stream ended early), `LOAD_FAILED` (the chat code
 * could not be loaded). `message` is the sentence shown to the visitor.
 */
export class T0ErrorEvent extends T0Event {
  static readonly eventName = 't0-error';
  constructor(
    readonly code: string,
    readonly message: string,
  ) {
    super(T0ErrorEvent.eventName);
  }
}

/**
 * The visitor confirmed an escalation offer ("Yes, contact me"): the server opened (or
 * added to) a follow-up email ticket and support will write to the visitor.
 */
export class T0EscalateEvent extends T0Event {
  static readonly eventName = 't0-escalate';
  constructor(
    /** The follow-up email ticket's number. */
    readonly ticketId: number,
    /** Why a human is needed (`human_requested`, `ai_uncertain`, …). */
    readonly reason: EscalationReason | null,
  ) {
    super(T0EscalateEvent.eventName);
  }
}

/** The server stored the visitor's rating of a reply; `rating: null` means it was taken back. */
export class T0RateEvent extends T0Event {
  static readonly eventName = 't0-rate';
  constructor(
    readonly messageId: number,
    readonly rating: Rating | null,
  ) {
    super(T0RateEvent.eventName);
  }
}

/** The visitor proved their email address with the emailed code; the chat is now verified. */
export class T0VerifiedEvent extends T0Event {
  static readonly eventName = 't0-verified';
  constructor(readonly email: string) {
    super(T0VerifiedEvent.eventName);
  }
}

/**
 * Replies arrived while the panel was closed (or were read: `count` back to 0 on open).
 * `count` is the number of unread assistant and support messages, as on the launcher badge.
 */
export class T0UnreadEvent extends T0Event {
  static readonly eventName = 't0-unread';
  constructor(readonly count: number) {
    super(T0UnreadEvent.eventName);
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
    't0-unread': T0UnreadEvent;
  }
}
