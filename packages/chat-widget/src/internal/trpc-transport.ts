import type { AppRouter } from '@ticket0/server/router';
import { createTRPCClient, httpBatchStreamLink } from '@trpc/client';
import type { ChatCredentials, ChatTransport } from './transport.js';
import { wire } from './wire.js';

/*
 * Typed by the server's router type (a type-only import: nothing of the server is bundled).
 * Each method's result must fit `ChatTransport`, so a router change the widget does not
 * follow fails the typecheck.
 */

const auth = (credentials: ChatCredentials) => ({
  context: { authorization: `Bearer ${credentials.sessionId}.${credentials.visitorToken}` },
});

/** `server` is the element's `serverUrl`: resolved, without a trailing slash. */
export function createTrpcTransport(server: string): ChatTransport {
  const url = `${server}/trpc`;
  const { chat, escalation, verification } = createTRPCClient<AppRouter>({
    links: [
      // One link for all: chat.send's events stream back over its response, and with one
      // call per request each carries exactly its own authorization header.
      httpBatchStreamLink({
        url,
        transformer: wire,
        maxItems: 1,
        // A call's context holds exactly its own headers (see `auth`).
        headers: ({ opList: [op] }) => op.context as Record<string, string>,
      }),
    ],
  });

  return {
    config: () => chat.config.query(),
    start: (input) => chat.start.mutate(input),
    async *send(credentials, input, signal) {
      yield* await chat.send.mutate(input, { signal, ...auth(credentials) });
    },
    history: (credentials, input) => chat.history.query(input, auth(credentials)),
    rate: (credentials, input) => chat.rate.mutate(input, auth(credentials)),

    requestEscalation: (credentials) => escalation.request.mutate(undefined, auth(credentials)),
    confirmEscalation: (credentials, input) => escalation.confirm.mutate(input, auth(credentials)),
    declineEscalation: (credentials, input) => escalation.decline.mutate(input, auth(credentials)),

    requestVerification: (credentials, input) =>
      verification.request.mutate(input, auth(credentials)),
    confirmVerification: (credentials, input) =>
      verification.confirm.mutate(input, auth(credentials)),
    verificationStatus: (credentials) => verification.status.query(undefined, auth(credentials)),
    emailTranscript: (credentials) => chat.emailTranscript.mutate(undefined, auth(credentials)),
    identify: (credentials, input) => verification.identify.mutate(input, auth(credentials)),
    conversations: (credentials) => chat.conversations.query(undefined, auth(credentials)),
    continueConversation: (credentials, input) => chat.continue.mutate(input, auth(credentials)),
    deleteConversation: (credentials) => chat.deleteConversation.mutate(undefined, auth(credentials)),
  };
}
