import { router } from '../../trpc.js';
import { authRouter } from './auth.js';
import { chatsRouter } from './chats.js';
import { liveRouter } from './live.js';
import { outboxRouter } from './outbox.js';
import { settingsRouter } from './settings.js';
import { teamRouter } from './team.js';
import { ticketsRouter } from './tickets.js';

/** The operator console's API. Access rules: see operatorProcedure / adminProcedure in trpc.ts. */
export const adminRouter = router({
  auth: authRouter,
  chats: chatsRouter,
  tickets: ticketsRouter,
  team: teamRouter,
  settings: settingsRouter,
  outbox: outboxRouter,
  live: liveRouter,
});
