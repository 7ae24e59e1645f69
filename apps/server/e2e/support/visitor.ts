import { createTRPCClient, httpBatchStreamLink, httpLink, splitLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../src/router/index.js';

/**
 * A visitor of the server at `base` through the real tRPC client, linked as the widget is:
 * `chat.send` streams over httpBatchStreamLink, the rest goes plainly. `start()` opens a
 * chat and keeps its credential for the calls after it.
 */
export function visitorClient(base: string) {
  const credential = { current: '' };
  const headers = () => (credential.current ? { authorization: `Bearer ${credential.current}` } : {});
  const api = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.path === 'chat.send',
        true: httpBatchStreamLink({ url: `${base}/trpc`, transformer: superjson, headers }),
        false: httpLink({ url: `${base}/trpc`, transformer: superjson, headers }),
      }),
    ],
  });
  return {
    api,
    async start() {
      const { sessionId, visitorToken } = await api.chat.start.mutate({});
      credential.current = `${sessionId}.${visitorToken}`;
    },
    /** The chat's id, once started. */
    sessionId: () => credential.current.split('.', 1)[0]!,
  };
}
