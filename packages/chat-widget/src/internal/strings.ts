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

  /** The panel's always-available button that asks for a person. */
  talkToHuman: string;
  /** Accepts an escalation offer. */
  acceptOffer: string;
  /** Declines an escalation offer. */
  declineOffer: string;
  /** Under a declined offer; also announced. */
  offerDeclined: string;
  /** Label of the email field shown when an unverified visitor accepts an offer. */
  contactEmailLabel: string;
  /** Submits that email field. */
  contactSubmit: string;
  cancel: string;
  /** The email address typed does not look like one. */
  invalidEmail: string;

  /** Accessible name of the thumbs-up toggle under each reply. */
  rateUp: string;
  /** Accessible name of the thumbs-down toggle under each reply. */
  rateDown: string;
  /** Legend of the optional reason form after a thumbs down. */
  reasonQuestion: string;
  reasonWrong: string;
  reasonUnhelpful: string;
  reasonRude: string;
  reasonOther: string;
  /** Label of the free-text box of the reason form. */
  reasonComment: string;
  /** Sends the reason form. */
  reasonSend: string;
  /** Closes the reason form without a reason (the thumbs down stays). */
  reasonSkip: string;
  /** Announced once a reason was stored. */
  feedbackThanks: string;

  /** Heading of the article links under a reply. */
  sources: string;

  /** Opens the verification form (panel action, and under replies that mention verifying). */
  verifyOpen: string;
  /** Heading of the verification form. */
  verifyTitle: string;
  /** Step 1: why and how. */
  verifyIntro: string;
  verifyEmailLabel: string;
  verifySendCode: string;
  /** Step 2: `{email}` is where the code went. */
  verifyCodeIntro: string;
  verifyCodeLabel: string;
  verifySubmit: string;
  /** The code typed is not 6 digits. */
  verifyInvalidCode: string;
  /** `{n}`: tries left for the current code. */
  attemptsLeft: string;
  resend: string;
  /** The Resend button while it waits; `{s}` counts down. */
  resendIn: string;
  /** Goes back to step 1. */
  changeEmail: string;
  /** Badge in the header of a verified chat; `{email}` is the address. */
  verifiedBadge: string;
  /** Announced on success; `{email}` is the address. */
  verifiedNotice: string;

  /** Labels the AI: in the header and on every assistant message. Never empty. */
  assistantLabel: string;
  /** The line in the panel saying a person can take over by email. */
  humanNote: string;
  /** Accessible name of the launcher while replies wait unread; `{n}` counts them. */
  launcherUnread: string;
  /** Starts a new conversation (the current one stays with support). */
  newConversation: string;
  /** Mails the conversation to the visitor. */
  emailTranscript: string;
  /** Announced once the conversation is on its way; `{email}` is the address. */
  transcriptSent: string;
  /** Heads the verified customer's chats from other devices, each a button that continues it. */
  recentConversations: string;
  /** Deletes this chat for good; asks `deleteConfirm` first. */
  deleteConversation: string;
  deleteConfirm: string;
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

  talkToHuman: 'Talk to a human',
  acceptOffer: 'Yes, contact me',
  declineOffer: 'No thanks',
  offerDeclined: 'OK, the chat goes on.',
  contactEmailLabel: 'Your email address',
  contactSubmit: 'Contact me',
  cancel: 'Cancel',
  invalidEmail: 'Enter a valid email address, such as name@example.com.',

  rateUp: 'Helpful',
  rateDown: 'Not helpful',
  reasonQuestion: 'What went wrong? (optional)',
  reasonWrong: 'It was wrong',
  reasonUnhelpful: 'It did not help',
  reasonRude: 'It was rude',
  reasonOther: 'Something else',
  reasonComment: 'Anything to add?',
  reasonSend: 'Send',
  reasonSkip: 'Skip',
  feedbackThanks: 'Thanks for your feedback.',

  sources: 'Sources',

  verifyOpen: 'Verify your email',
  verifyTitle: 'Verify your email',
  verifyIntro:
    'We will email you a 6-digit code. Once you are verified, we can look at your account.',
  verifyEmailLabel: 'Email address',
  verifySendCode: 'Send code',
  verifyCodeIntro: 'Enter the 6-digit code we sent to {email}.',
  verifyCodeLabel: 'Code',
  verifySubmit: 'Verify',
  verifyInvalidCode: 'Enter the 6-digit code from the email.',
  attemptsLeft: 'Attempts left: {n}',
  resend: 'Resend code',
  resendIn: 'Resend code in {s} s',
  changeEmail: 'Use another email',
  verifiedBadge: 'Verified: {email}',
  verifiedNotice: 'Your email {email} is verified.',

  assistantLabel: 'AI assistant',
  humanNote: 'Answers are written by an AI. A person from our team can take over by email.',
  launcherUnread: 'Open support chat, {n} new',
  newConversation: 'New conversation',
  emailTranscript: 'Email me this conversation',
  transcriptSent: 'We sent this conversation to {email}.',
  recentConversations: 'Continue a recent conversation',
  deleteConversation: 'Delete conversation',
  deleteConfirm: 'Delete it for good?',
};

/** Fills `{name}` placeholders: `format('Try again in {s} s', { s: 12 })`. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
