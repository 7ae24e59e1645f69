import type {
  ChatMessage,
  ConfirmEscalationInput,
  ConversationsOutput,
  EscalationResult,
  HistoryOutput,
  PendingVerification,
  RateMessageInput,
  SendMessageEvent,
  SendMessageInput,
  StartSessionOutput,
  VerificationResult,
  VerificationStatus,
  WidgetAppearance,
} from '@ticket0/contracts';

/** What `chat.start` hands out and the widget keeps in localStorage. */
export type ChatCredentials = StartSessionOutput;

/**
 * The widget's only door to the server. The real one (`trpc-transport.ts`) is loaded on
 * first open; tests and unusual hosts set the element's `transport` property instead.
 */
export interface ChatTransport {
  /** `chat.config`: the console's brand name, accent colour, greeting and AI label. Optional. */
  config?(): Promise<WidgetAppearance>;
  /**
   * `chat.start`: opens a chat session. Called when the visitor starts typing their first
   * message (or on a first send or offer without it), not on open.
   */
  start(input: { locale?: string }): Promise<ChatCredentials>;
  /**
   * `chat.send`: yields `accepted`, then `delta`s, then `done`. Ending without `done` or
   * throwing means the message or its reply failed. Aborting `signal` ends the request.
   */
  send(
    credentials: ChatCredentials,
    input: SendMessageInput,
    signal: AbortSignal,
  ): AsyncIterable<SendMessageEvent>;
  /** `chat.history`: the session's messages, only those after `afterId` when given. */
  history(credentials: ChatCredentials, input: { afterId?: number }): Promise<HistoryOutput>;
  /** `chat.rate`: thumbs up / down on an AI reply (`rating: null` takes it back). */
  rate(credentials: ChatCredentials, input: RateMessageInput): Promise<ChatMessage>;

  /** `escalation.request` ("Talk to a human"): a new pending offer, reason `human_requested`. */
  requestEscalation(credentials: ChatCredentials): Promise<ChatMessage>;
  /** `escalation.confirm` ("Yes, contact me"): `email` is needed unless the chat is verified. */
  confirmEscalation(
    credentials: ChatCredentials,
    input: ConfirmEscalationInput,
  ): Promise<EscalationResult>;
  /** `escalation.decline` ("No thanks"): the offer, now declined. */
  declineEscalation(credentials: ChatCredentials, input: { offerId: number }): Promise<ChatMessage>;

  /** `verification.request`: emails a code to `email`. */
  requestVerification(
    credentials: ChatCredentials,
    input: { email: string },
  ): Promise<PendingVerification>;
  /** `verification.confirm`: checks the code from the email. */
  confirmVerification(
    credentials: ChatCredentials,
    input: { code: string },
  ): Promise<VerificationResult>;
  /** `verification.status`: verified or not, and the code waiting to be entered. */
  verificationStatus(credentials: ChatCredentials): Promise<VerificationStatus>;

  /** `chat.emailTranscript`: mails the conversation to the chat's verified address. */
  emailTranscript(credentials: ChatCredentials): Promise<{ email: string }>;

  /** `verification.identify`: the host site's signed identity verifies the chat, no code. */
  identify(credentials: ChatCredentials, input: { token: string }): Promise<VerificationResult>;
  /** `chat.conversations`: a verified customer's recent chats from any device. */
  conversations(credentials: ChatCredentials): Promise<ConversationsOutput>;
  /** `chat.continue`: this device's own key to another chat of the same verified customer. */
  continueConversation(
    credentials: ChatCredentials,
    input: { sessionId: string },
  ): Promise<ChatCredentials>;
  /** `chat.deleteConversation`: deletes this chat and its messages for good. */
  deleteConversation(credentials: ChatCredentials): Promise<unknown>;
}

/** A failure the widget can explain: a server error code, or one of its own. */
export class ChatTransportError extends Error {
  readonly code: string;
  readonly retryAfterSeconds: number | undefined;
  constructor(code: string, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ChatTransportError';
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

interface ErrorWithData {
  message?: unknown;
  data?: { code?: unknown; retryAfterSeconds?: unknown } | null;
}

/**
 * Reads a thrown value the way the server shapes errors (a TRPCClientError carries
 * `data.code` and `data.retryAfterSeconds`). Anything without a code is a network failure,
 * whose raw message ("Failed to fetch") is no use to a visitor, so it is dropped.
 */
export function toChatError(error: unknown): ChatTransportError {
  if (error instanceof ChatTransportError) return error;
  const { message, data } = (error ?? {}) as ErrorWithData;
  if (data && typeof data.code === 'string') {
    const retryAfter = data.retryAfterSeconds;
    return new ChatTransportError(
      data.code,
      typeof message === 'string' ? message : '',
      typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return new ChatTransportError('NETWORK', '');
}
