/**
 * Every sentence the widget itself shows or announces. Pages translate or reword them by
 * setting the element's `strings` property to a partial object; missing keys fall back to
 * these English defaults. Messages written by the server (errors, replies) arrive already
 * worded and are shown as they are.
 */
export interface Ticket0ChatStrings {
  /** Panel title, also the panel's accessible name. */
  title: string;
  /** Accessible name of the round launcher button. */
  launcherLabel: string;
  /** Accessible name of the close button in the panel header. */
  closeLabel: string;
  /** Accessible name of the conversation log. */
  messagesLabel: string;
  /** Accessible name of the message box. */
  inputLabel: string;
  /** Placeholder of the message box. */
  placeholder: string;
  send: string;
  stop: string;
  retry: string;
  /** Shown in an empty conversation. */
  greeting: string;
  /** Screen-reader prefix of the visitor's own messages. */
  visitorLabel: string;
  /** Screen-reader prefix of replies. */
  replyLabel: string;
  /** Read out while the reply has not started yet. */
  typing: string;
  /** Under a message that is on its way to the server. */
  sending: string;
  /** While earlier messages are loading. */
  loading: string;
  /** While the chat code itself is loading (first open only, usually too quick to see). */
  loadingPanel: string;
  /** `{s}` is replaced by the seconds left. */
  retryIn: string;
  /** Under a reply the visitor stopped or that broke off. */
  interrupted: string;
  /** Under a message the visitor stopped before the server took it. */
  notSent: string;
  /** The connection to the server failed (offline, server down, blocked). */
  networkError: string;
  /** The server failed unexpectedly; its own message may be internal, so it is not shown. */
  serverError: string;
  /** The reply stream ended before the reply was complete. */
  replyFailed: string;
  /** The earlier conversation could not be loaded. */
  historyError: string;
  /** The chat code could not be loaded. */
  loadError: string;
}

export const defaultStrings: Ticket0ChatStrings = {
  title: 'Support',
  launcherLabel: 'Open support chat',
  closeLabel: 'Close chat',
  messagesLabel: 'Conversation',
  inputLabel: 'Message',
  placeholder: 'Type your message…',
  send: 'Send',
  stop: 'Stop',
  retry: 'Retry',
  greeting: 'Hi! How can we help?',
  visitorLabel: 'You',
  replyLabel: 'Support',
  typing: 'Support is typing…',
  sending: 'Sending…',
  loading: 'Loading earlier messages…',
  loadingPanel: 'Loading…',
  retryIn: 'Try again in {s} s',
  interrupted: 'Reply stopped.',
  notSent: 'Not sent.',
  networkError: 'Could not reach support. Check your connection and try again.',
  serverError: 'Something went wrong on our side. Please try again.',
  replyFailed: 'The reply broke off before it was complete.',
  historyError: 'Could not load the earlier conversation.',
  loadError: 'The chat could not be loaded. Close it and try again.',
};

/** Fills `{name}` placeholders: `format('Try again in {s} s', { s: 12 })`. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
