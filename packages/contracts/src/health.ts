import { z } from 'zod';

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['ok', 'error']),
  model: z.object({
    name: z.string(),
    reachable: z.boolean(),
    /** False when the server is reachable but the configured model is not pulled. */
    installed: z.boolean(),
  }),
  version: z.string(),
});
export type Health = z.infer<typeof healthSchema>;
