import { router } from '../trpc.js';
import { auditRouter } from './audit.js';
import { authRouter } from './auth.js';
import { chatsRouter } from './chats.js';
import { customersRouter } from './customers.js';
import { inboxRouter } from './inbox.js';
import { knowledgeRouter } from './knowledge.js';
import { lessonsRouter } from './lessons.js';
import { liveRouter } from './live.js';
import { outboxRouter } from './outbox.js';
import { qualityRouter } from './quality.js';
import { settingsRouter } from './settings.js';
import { teamRouter } from './team.js';
import { ticketsRouter } from './tickets.js';
import { mailRouter } from './mail.js';
import { webhooksRouter } from './webhooks.js';

/** The operator console's API. Access rules: see operatorProcedure / adminProcedure in trpc.ts. */
export const adminRouter = router({
  auth: authRouter,
  chats: chatsRouter,
  quality: qualityRouter,
  lessons: lessonsRouter,
  tickets: ticketsRouter,
  customers: customersRouter,
  knowledge: knowledgeRouter,
  team: teamRouter,
  settings: settingsRouter,
  outbox: outboxRouter,
  live: liveRouter,
  inbox: inboxRouter,
  mail: mailRouter,
  webhooks: webhooksRouter,
  audit: auditRouter,
});
