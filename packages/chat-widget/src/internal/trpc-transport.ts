import type { AppRouter } from '@ticket0/server/router';
import type { Operation } from '@trpc/client';
import { createTRPCClient, httpBatchStreamLink, httpLink, splitLink } from '@trpc/client';
import superjson from 'superjson';
import type { ChatCredentials, ChatTransport } from './transport.js';

/*
 * Typed by the server's router type (a type-only import: nothing of the server is bundled).
 * Each method's result must fit `ChatTransport`, so a router change the widget does not
 * follow fails the typecheck.
 */

/** Each call carries its session's header in its context. */
function authorization(op: Operation | undefined): Record<string, string> {
  const header = op?.context.authorization;
  return typeof header === 'string' ? { authorization: header } : {};
}

const auth = (credentials: ChatCredentials) => ({
  context: { authorization: `Bearer ${credentials.sessionId}.${credentials.visitorToken}` },
});

/** `https://host/support` → `https://host/support/trpc`. */
export function trpcUrl(server: string): string {
  return `${server.replace(/\/+$/, '')}/trpc`;
}

export function createTrpcTransport(server: string): ChatTransport {
  const url = trpcUrl(server);
  const { chat, escalation, verification } = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        // chat.send is an async-generator procedure: its events arrive over one streamed
        // response. Everything else is a plain request, one per call, so each carries
        // exactly its own authorization header.
        condition: (op) => op.path === 'chat.send',
        true: httpBatchStreamLink({
          url,
          transformer: superjson,
          headers: ({ opList }) => authorization(opList[0]),
        }),
        false: httpLink({
          url,
          transformer: superjson,
          headers: ({ op }) => authorization(op),
        }),
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
