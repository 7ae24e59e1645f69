import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '@ticket0/server/router';
import superjson from 'superjson';

/** The console's API client: same origin, typed by the server's router type only. */
export const api = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: '/trpc', transformer: superjson })],
});
