import type {
  ChatMessage,
  EscalationResult,
  HistoryOutput,
  PendingVerification,
  SendMessageEvent,
  VerificationResult,
  VerificationStatus,
} from '@ticket0/contracts';
import type { Operation } from '@trpc/client';
import {
  createTRPCUntypedClient,
  httpBatchStreamLink,
  httpLink,
  splitLink,
} from '@trpc/client';
import superjson from 'superjson';
import type { ChatCredentials, ChatTransport } from './transport.js';

/*
 * The client is untyped on purpose: typing it with the server's `AppRouter` would make
 * this package depend on @ticket0/server, which depends on this package (it serves the
 * bundle). The procedure types come from @ticket0/contracts instead, which the server's
 * router validates with the same schemas.
 */

interface RequestContext {
  credentials?: ChatCredentials;
}

/** Each call carries its session in its context; the header is built from it. */
function authorization(op: Operation | undefined): Record<string, string> {
  const credentials = (op?.context as RequestContext | undefined)?.credentials;
  return credentials
    ? { authorization: `Bearer ${credentials.sessionId}.${credentials.visitorToken}` }
    : {};
}

/** `https://host/support` → `https://host/support/trpc`. */
export function trpcUrl(server: string): string {
  return `${server.replace(/\/+$/, '')}/trpc`;
}

export function createTrpcTransport(server: string): ChatTransport {
  const url = trpcUrl(server);
  const client = createTRPCUntypedClient({
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

  const auth = (credentials: ChatCredentials) => ({
    context: { credentials } satisfies RequestContext,
  });
  const mutate = async <T>(path: string, credentials: ChatCredentials, input?: unknown) =>
    (await client.mutation(path, input, auth(credentials))) as T;

  return {
    async start(input) {
      return (await client.mutation('chat.start', input)) as ChatCredentials;
    },

    async *send(credentials, input, signal) {
      const events = (await client.mutation('chat.send', input, {
        signal,
        context: { credentials } satisfies RequestContext,
      })) as AsyncIterable<SendMessageEvent>;
      yield* events;
    },

    async history(credentials, input) {
      return (await client.query('chat.history', input, auth(credentials))) as HistoryOutput;
    },

    rate: (credentials, input) => mutate<ChatMessage>('chat.rate', credentials, input),

    requestEscalation: (credentials) => mutate<ChatMessage>('escalation.request', credentials),
    confirmEscalation: (credentials, input) =>
      mutate<EscalationResult>('escalation.confirm', credentials, input),
    declineEscalation: (credentials, input) =>
      mutate<ChatMessage>('escalation.decline', credentials, input),

    requestVerification: (credentials, input) =>
      mutate<PendingVerification>('verification.request', credentials, input),
    confirmVerification: (credentials, input) =>
      mutate<VerificationResult>('verification.confirm', credentials, input),
    async verificationStatus(credentials) {
      return (await client.query(
        'verification.status',
        undefined,
        auth(credentials),
      )) as VerificationStatus;
    },
  };
}
