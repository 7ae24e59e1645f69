import { z } from 'zod';

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['ok', 'error']),
  model: z.object({
    /** `ollama`, or `openai` for any OpenAI-compatible server. */
    provider: z.enum(['ollama', 'openai']),
    /** Where the model server is (never with credentials). */
    url: z.string(),
    name: z.string(),
    reachable: z.boolean(),
    /** False when the server is reachable but the configured model is not pulled. */
    installed: z.boolean(),
    /** When not ready: what is wrong, in a sentence for the operator. */
    detail: z.string().optional(),
  }),
  version: z.string(),
});
export type Health = z.infer<typeof healthSchema>;
