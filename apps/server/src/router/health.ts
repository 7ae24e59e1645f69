import { healthSchema } from '@ticket0/contracts';
import { checkHealth } from '../app/health.js';
import { publicProcedure } from './trpc.js';

/** The same report through the API, for the console's status line. */
export const healthProcedure = publicProcedure.output(healthSchema).query(({ ctx }) => checkHealth(ctx.services));
