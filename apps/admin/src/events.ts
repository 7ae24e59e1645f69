import type { LiveEvent, Operator } from './api.js';

/*
 * The console's own events: one class per event with typed fields (no untyped `detail`),
 * and the event maps augmented so listeners receive the right class.
 */

/** An event class named `eventName`; its events bubble and cross shadow roots up to the shell. */
function consoleEvent<Name extends string>(eventName: Name) {
  return class extends Event {
    static readonly eventName = eventName;
    constructor() {
      super(eventName, { bubbles: true, composed: true });
    }
  };
}

/** An event class whose events carry an operator's record as it is now. */
function operatorEvent<Name extends string>(eventName: Name) {
  return class extends consoleEvent(eventName) {
    constructor(readonly operator: Operator) {
      super();
    }
  };
}

/** The sign-in form signed `operator` in. */
export class T0SignedInEvent extends operatorEvent('t0-signed-in') {}

/** The signed-in operator's own record changed (name, role, availability). */
export class T0OperatorChangedEvent extends operatorEvent('t0-operator-changed') {}

/** A call was refused as UNAUTHORIZED: the operator's session is over. */
export class T0SessionEndedEvent extends consoleEvent('t0-session-ended') {}

/** A live event from the server, passed on by the shell on `window` to every page. */
export class T0LiveEvent extends consoleEvent('t0-live') {
  constructor(readonly update: LiveEvent) {
    super();
  }
}

/**
 * The live stream came back after a gap, or a poll stands in for it: pages reload what they
 * show, so nothing that happened meanwhile stays missing.
 */
export class T0CatchUpEvent extends consoleEvent('t0-catch-up') {}

/** The operator read a chat or ticket (the server knows): the unread counts change. */
export class T0ReadEvent extends consoleEvent('t0-read') {}

/** The keys a page may act on (see the `?` list); the shell leaves out key presses made while typing. */
export const SHORTCUT_KEYS = ['n', 'r', 'a', 'c'];

/** A keyboard shortcut for the page: `n` next, `r` reply, `a` assign to me, `c` close. */
export class T0ShortcutEvent extends consoleEvent('t0-shortcut') {
  constructor(readonly key: string) {
    super();
  }
}

declare global {
  interface HTMLElementEventMap {
    't0-signed-in': T0SignedInEvent;
    't0-session-ended': T0SessionEndedEvent;
    't0-operator-changed': T0OperatorChangedEvent;
  }
  interface WindowEventMap {
    't0-live': T0LiveEvent;
    't0-catch-up': T0CatchUpEvent;
    't0-read': T0ReadEvent;
    't0-shortcut': T0ShortcutEvent;
  }
}
