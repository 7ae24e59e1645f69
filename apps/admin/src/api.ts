import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@ticket0/server/router';
import superjson from 'superjson';

/**
 * The console's API client: same origin, typed by the server's router type only.
 * Queries and mutations carry `x-trpc-source: console`, which the server requires of every
 * operator call (a cross-site page cannot send it). Live events arrive over SSE.
 */
export const api = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/trpc', transformer: superjson }),
      false: httpBatchLink({
        url: '/trpc',
        transformer: superjson,
        // The server refuses batches of more than 10 calls.
        maxItems: 10,
        headers: () => ({ 'x-trpc-source': 'console' }),
      }),
    }),
  ],
});

export type Outputs = inferRouterOutputs<AppRouter>['admin'];
export type Inputs = inferRouterInputs<AppRouter>['admin'];
export type Operator = Outputs['auth']['signIn']['operator'];
export type ChatSummary = Outputs['chats']['list']['items'][number];
export type ChatDetail = Outputs['chats']['get'];
export type OperatorMessage = ChatDetail['messages'][number];
export type TicketSummary = Outputs['tickets']['list']['items'][number];
export type TicketDetail = Outputs['tickets']['get'];
export type TeamMember = Outputs['team']['list'][number];
export type Settings = Outputs['settings']['get'];
export type OutboxEmail = Outputs['outbox']['list']['items'][number];
export type LiveEvent = Outputs['live']['events'] extends AsyncIterable<infer T> ? T : never;
export type ChatQuality = NonNullable<ChatSummary['quality']>;
export type ReviewItem = Outputs['quality']['reviewQueue']['items'][number];
export type CustomerSummary = Outputs['customers']['list']['items'][number];
export type CustomerDetail = Outputs['customers']['get'];
export type LessonItem = Outputs['lessons']['list']['items'][number];
export type LessonStatus = LessonItem['status'];
export type ArticleSummary = Outputs['knowledge']['list']['items'][number];
export type Article = Outputs['knowledge']['get'];
export type InboxCounts = Outputs['inbox']['counts'];
export type SearchResults = Outputs['inbox']['search'];
export type PassageHit = Outputs['knowledge']['search']['hits'][number];
export type AuditEntry = Outputs['audit']['list']['items'][number];

/** The error's tRPC code (UNAUTHORIZED, FORBIDDEN, …), or null for a network failure. */
export function errorCode(error: unknown): string | null {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string } | undefined;
    return data?.code ?? null;
  }
  return null;
}

/** A sentence to show for a failed call. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    if (!error.data) return 'The server could not be reached. Check your connection and try again.';
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Field-level messages from a validation error, keyed by input field. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (error instanceof TRPCClientError) {
    const data = error.data as { fieldErrors?: Record<string, string> | null } | undefined;
    return data?.fieldErrors ?? {};
  }
  return {};
}
