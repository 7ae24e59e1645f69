import { router } from './trpc.js';
import { adminRouter } from './admin/index.js';
import { chatRouter } from './chat.js';
import { escalationRouter } from './escalation.js';
import { healthProcedure } from './health.js';
import { verificationRouter } from './verification.js';

export const appRouter = router({
  admin: adminRouter,
  chat: chatRouter,
  escalation: escalationRouter,
  health: healthProcedure,
  verification: verificationRouter,
});

/** The API's type: the widget and the console import this, and nothing else, from the server. */
export type AppRouter = typeof appRouter;
