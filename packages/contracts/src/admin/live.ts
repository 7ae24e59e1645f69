import { z } from 'zod';

/** Pushed to open consoles; ids only, the console loads what it shows. */
export const liveEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    sessionId: z.string().nullable(),
    ticketId: z.number().int(),
    messageId: z.number().int(),
  }),
  z.object({ type: z.literal('ticket'), ticketId: z.number().int() }),
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;
