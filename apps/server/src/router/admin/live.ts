import { TRPCError } from '@trpc/server';
import type { LiveEvent } from '@ticket0/contracts';
import { operatorProcedure, router } from '../trpc.js';

/** How often a quiet stream re-checks that its session is still valid (signed out elsewhere, expired). */
const RECHECK_MS = 60_000;

/**
 * What changed, as it happens: a message stored (visitor, AI, operator) or a ticket changed.
 * Open consoles listen over SSE and reload what they show.
 */
export const liveRouter = router({
  events: operatorProcedure.subscription(async function* ({ ctx, signal }) {
    const stop = AbortSignal.any([ctx.services.closing.signal, ...(signal ? [signal] : [])]);
    const queue: LiveEvent[] = [];
    let wake: (() => void) | null = null;
    const push = (event: LiveEvent) => {
      if (queue.length < 1000) queue.push(event);
      wake?.();
    };
    const unsubscribe = [
      ctx.services.events.subscribe('message.stored', (e) => push({ type: 'message', ...e })),
      ctx.services.events.subscribe('ticket.changed', (e) => push({ type: 'ticket', ...e })),
    ];
    const stopped = new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
    /** Ends the stream once its session is gone (signed out, expired, password changed). */
    const assertSignedIn = async () => {
      checkedAt = Date.now();
      const auth = await ctx.services.auth.authenticate(ctx.services.orm.em.fork(), ctx.operatorToken);
      if (!auth) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session has ended. Sign in again.' });
    };
    let timer: NodeJS.Timeout | undefined;
    let checkedAt = Date.now();
    try {
      while (!stop.aborted) {
        if (queue.length) {
          // Nothing is delivered without a check made after it happened.
          const events = queue.splice(0);
          await assertSignedIn();
          for (const event of events) yield event;
          continue;
        }
        // Quiet streams are checked too, so a signed-out console's connection closes.
        if (Date.now() - checkedAt >= RECHECK_MS) await assertSignedIn();
        await Promise.race([
          new Promise<void>((resolve) => (wake = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, RECHECK_MS))),
          stopped,
        ]);
        clearTimeout(timer);
        wake = null;
      }
    } finally {
      clearTimeout(timer);
      for (const off of unsubscribe) off();
    }
  }),
});
