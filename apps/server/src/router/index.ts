import { router } from '../trpc.js';
import { chatRouter } from './chat.js';
import { healthProcedure } from './health.js';

export const appRouter = router({
  chat: chatRouter,
  health: healthProcedure,
});

/** The API's type: the widget and the console import this, and nothing else, from the server. */
export type AppRouter = typeof appRouter;
