import type { LiveEvent, Operator } from './api.js';

/*
 * The console's own events: one class per event with typed fields (no untyped `detail`),
 * and the event maps augmented so listeners receive the right class.
 */

/** Page events bubble and cross shadow roots up to the shell (`<t0-console-app>`). */
abstract class ConsoleEvent extends Event {
  constructor(type: string) {
    super(type, { bubbles: true, composed: true });
  }
}

/** Page events that carry an operator's record as it is now. */
const operatorEvent = <Name extends string>(eventName: Name) =>
  class extends ConsoleEvent {
    static readonly eventName = eventName;
    constructor(readonly operator: Operator) {
      super(eventName);
    }
  };

/** The sign-in form signed `operator` in. */
export class T0SignedInEvent extends operatorEvent('t0-signed-in') {}

/** The signed-in operator's own record changed (name, role, availability). */
export class T0OperatorChangedEvent extends operatorEvent('t0-operator-changed') {}

/** A call was refused as UNAUTHORIZED: the operator's session is over. */
export class T0SessionEndedEvent extends ConsoleEvent {
  static readonly eventName = 't0-session-ended';
  constructor() {
    super(T0SessionEndedEvent.eventName);
  }
}

/** A live event from the server, passed on by the shell on `window` to every page. */
export class T0LiveEvent extends Event {
  static readonly eventName = 't0-live';
  constructor(readonly update: LiveEvent) {
    super(T0LiveEvent.eventName);
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
  }
}
