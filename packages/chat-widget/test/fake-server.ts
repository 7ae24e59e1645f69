import type {
  ChatMessage,
  ConversationSummary,
  PendingVerification,
  SendMessageEvent,
  SendMessageInput,
} from '@ticket0/contracts';
import { waitUntil } from '@open-wc/testing';
import type { ChatCredentials, ChatTransport } from '../src/internal/transport.js';

// The fake stands where the network would: it records what the widget asks the server and
// lets each test play the server's side of the stream step by step.

export const SERVER = 'https://support.example.com';
export const STORAGE_KEY = `ticket0-chat:${SERVER}`;
export const CREDENTIALS: ChatCredentials = {
  sessionId: 'cs_AAAAAAAAAAAAAAAAAAAAAA',
  visitorToken: 'T'.repeat(43),
};

/** The page remembers a chat from an earlier visit: `CREDENTIALS` are in localStorage. */
export function storeSession(): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(CREDENTIALS));
}

type Item = { event: SendMessageEvent } | { end: true } | { error: unknown };

/** One `chat.send` request, as the server would see it, plus the controls of its stream. */
export class SendCall {
  private readonly items: Item[] = [];
  private wake: (() => void) | undefined;

  constructor(
    readonly credentials: ChatCredentials,
    readonly input: SendMessageInput,
    readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.notify());
  }

  push(...events: SendMessageEvent[]): void {
    for (const event of events) this.items.push({ event });
    this.notify();
  }

  end(): void {
    this.items.push({ end: true });
    this.notify();
  }

  fail(error: unknown): void {
    this.items.push({ error });
    this.notify();
  }

  async *events(): AsyncGenerator<SendMessageEvent> {
    for (;;) {
      if (this.signal.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
      const item = this.items.shift();
      if (!item) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if ('error' in item) throw item.error;
      if ('end' in item) return;
      yield item.event;
    }
  }

  private notify(): void {
    this.wake?.();
    this.wake = undefined;
  }
}

export class FakeTransport implements ChatTransport {
  readonly starts: Array<{ locale?: string }> = [];
  readonly sends: SendCall[] = [];
  readonly historyCalls: Array<{ credentials: ChatCredentials; input: { afterId?: number } }> = [];
  /** What the server has stored; `history` answers from it. */
  stored: ChatMessage[] = [];
  historyError: unknown;

  readonly start: ChatTransport['start'] = async (input) => {
    this.starts.push(input);
    return CREDENTIALS;
  };

  readonly send: ChatTransport['send'] = (credentials, input, signal) => {
    const call = new SendCall(credentials, input, signal);
    this.sends.push(call);
    return call.events();
  };

  readonly history: ChatTransport['history'] = async (credentials, input) => {
    this.historyCalls.push({ credentials, input });
    if (this.historyError) throw this.historyError;
    return {
      sessionId: credentials.sessionId,
      messages: this.stored.filter((m) => m.id > (input.afterId ?? 0)),
    };
  };

  // The server's other procedures, played by a small in-memory model of the rules the
  // widget relies on. `calls` records every request; `failNext` makes the next call of a
  // procedure fail; `hold()` keeps answers back until released.

  readonly calls: Array<{ name: string; credentials: ChatCredentials; input?: unknown }> = [];
  private readonly failures = new Map<string, unknown>();
  private gate: Promise<void> | null = null;
  verifiedEmail: string | null = null;
  pending: PendingVerification | null = null;
  /** The code the fake mails. */
  code = '123456';
  resendCooldownSeconds = 30;
  nextTicketId = 41;

  failNext(name: string, error: unknown): void {
    this.failures.set(name, error);
  }

  /** Answers wait until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  callsOf(name: string): Array<{ credentials: ChatCredentials; input?: unknown }> {
    return this.calls.filter((call) => call.name === name).map(({ name: _, ...call }) => call);
  }

  private async answer<T>(
    name: string,
    credentials: ChatCredentials,
    input: unknown,
    reply: () => T,
  ): Promise<T> {
    this.calls.push({ name, credentials, ...(input === undefined ? {} : { input }) });
    if (this.gate) await this.gate;
    const failure = this.failures.get(name);
    this.failures.delete(name);
    if (failure) throw failure;
    return reply();
  }

  private keep(stored: ChatMessage): ChatMessage {
    this.stored = [...this.stored.filter((m) => m.id !== stored.id), stored].sort(
      (a, b) => a.id - b.id,
    );
    return stored;
  }

  private find(id: number): ChatMessage {
    const found = this.stored.find((m) => m.id === id);
    if (!found) throw serverError('NOT_FOUND', 'That message is not part of this chat.');
    return found;
  }

  readonly rate: ChatTransport['rate'] = (credentials, input) =>
    this.answer('rate', credentials, input, () =>
      this.keep({ ...this.find(input.messageId), rating: input.rating }),
    );

  readonly requestEscalation: ChatTransport['requestEscalation'] = (credentials) =>
    this.answer('requestEscalation', credentials, undefined, () =>
      this.keep(
        message({
          author: 'ai',
          kind: 'escalation_offer',
          body: 'Would you like our support team to contact you by email?',
          escalationReason: 'human_requested',
          offerStatus: 'pending',
        }),
      ),
    );

  readonly confirmEscalation: ChatTransport['confirmEscalation'] = (credentials, input) =>
    this.answer('confirmEscalation', credentials, input, () => {
      const email = this.verifiedEmail ?? input.email;
      if (!email) {
        throw serverError(
          'BAD_REQUEST',
          'Tell us the email address where our support team can reach you.',
        );
      }
      const offer = this.keep({ ...this.find(input.offerId), offerStatus: 'accepted' });
      const confirmation = this.keep(
        message({
          author: 'system',
          kind: 'escalation_confirmation',
          body: `Our support team will write to ${email}.`,
          escalationReason: offer.escalationReason,
        }),
      );
      return { offer, confirmation, ticketId: this.nextTicketId };
    });

  readonly declineEscalation: ChatTransport['declineEscalation'] = (credentials, input) =>
    this.answer('declineEscalation', credentials, input, () =>
      this.keep({ ...this.find(input.offerId), offerStatus: 'declined' }),
    );

  readonly requestVerification: ChatTransport['requestVerification'] = (credentials, input) =>
    this.answer('requestVerification', credentials, input, () => {
      const now = Date.now();
      this.pending = {
        email: input.email.toLowerCase(),
        expiresAt: new Date(now + 10 * 60_000),
        attemptsLeft: 3,
        resendAvailableAt: new Date(now + this.resendCooldownSeconds * 1000),
      };
      return this.pending;
    });

  readonly confirmVerification: ChatTransport['confirmVerification'] = (credentials, input) =>
    this.answer('confirmVerification', credentials, input, () => {
      const pending = this.pending;
      if (!pending)
        throw serverError(
          'BAD_REQUEST',
          'There is no code waiting for this chat. Request a new code.',
        );
      if (input.code !== this.code) {
        const left = Math.max(0, pending.attemptsLeft - 1);
        this.pending = { ...pending, attemptsLeft: left };
        throw serverError('BAD_REQUEST', `That code is not right. ${left} attempts left.`);
      }
      this.pending = null;
      this.verifiedEmail = pending.email;
      return { verified: true as const, email: pending.email, verifiedAt: new Date() };
    });

  readonly emailTranscript: ChatTransport['emailTranscript'] = (credentials) =>
    this.answer('emailTranscript', credentials, undefined, () => {
      if (!this.verifiedEmail) throw serverError('BAD_REQUEST', 'Verify your email first.');
      return { email: this.verifiedEmail };
    });

  readonly verificationStatus: ChatTransport['verificationStatus'] = (credentials) =>
    this.answer('verificationStatus', credentials, undefined, () => ({
      verified: this.verifiedEmail !== null,
      email: this.verifiedEmail,
      verifiedAt: this.verifiedEmail ? new Date() : null,
      pending: this.pending,
    }));

  /** Another device's chat of the same customer, listed by `conversations` once verified. */
  otherChat: { summary: ConversationSummary; credentials: ChatCredentials; messages: ChatMessage[] } | null = null;

  /** Accepts any token whose payload names an email (the real server checks the signature). */
  readonly identify: ChatTransport['identify'] = (credentials, input) =>
    this.answer('identify', credentials, input, () => {
      const payload = input.token.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/');
      const { email } = JSON.parse(atob(payload)) as { email: string };
      if (this.verifiedEmail && this.verifiedEmail !== email)
        throw serverError('UNAUTHORIZED', 'This chat is already verified as another email address. Start a new chat.');
      this.verifiedEmail = email;
      return { verified: true as const, email, verifiedAt: new Date() };
    });

  readonly conversations: ChatTransport['conversations'] = (credentials) =>
    this.answer('conversations', credentials, undefined, () => ({
      conversations: [
        { sessionId: credentials.sessionId, subject: 'This chat', preview: null, lastActivityAt: new Date(), current: true },
        ...(this.verifiedEmail && this.otherChat ? [this.otherChat.summary] : []),
      ],
    }));

  readonly continueConversation: ChatTransport['continueConversation'] = (credentials, input) =>
    this.answer('continueConversation', credentials, input, () => {
      const other = this.otherChat;
      if (!other || other.summary.sessionId !== input.sessionId || !this.verifiedEmail)
        throw serverError('NOT_FOUND', 'That chat is not one of yours, or it no longer exists.');
      this.stored = other.messages;
      return other.credentials;
    });

  readonly deleteConversation: ChatTransport['deleteConversation'] = (credentials) =>
    this.answer('deleteConversation', credentials, undefined, () => {
      this.stored = [];
      return { deleted: true as const };
    });

  private taken = 0;

  /** The next `chat.send` call the test has not looked at yet (waits for it if need be). */
  async nextSend(): Promise<SendCall> {
    const index = this.taken++;
    await waitUntil(() => this.sends.length > index, 'the widget did not call chat.send');
    return this.sends[index]!;
  }
}

let lastId = 0;
export function message(
  fields: Partial<ChatMessage> & Pick<ChatMessage, 'author' | 'body'>,
): ChatMessage {
  return {
    id: ++lastId,
    kind: 'text',
    createdAt: new Date(),
    clientMessageId: null,
    replyToId: null,
    rating: null,
    interrupted: false,
    escalationReason: null,
    offerStatus: null,
    citations: [],
    ...fields,
  };
}

/** The assistant's stored reply to `visitor`. */
export function replyTo(
  visitor: ChatMessage,
  body: string,
  fields: Partial<ChatMessage> = {},
): ChatMessage {
  return message({ author: 'ai', body, replyToId: visitor.id, ...fields });
}

/** What the server stores when it accepts a `chat.send`. */
export function accepted(call: SendCall): ChatMessage {
  return message({
    author: 'visitor',
    body: call.input.text.trim(),
    clientMessageId: call.input.clientMessageId,
  });
}

/** A TRPCClientError as the server shapes it: a sentence plus `data.code`. */
export function serverError(code: string, text: string, retryAfterSeconds?: number): Error {
  return Object.assign(new Error(text), { data: { code, httpStatus: 400, retryAfterSeconds } });
}
