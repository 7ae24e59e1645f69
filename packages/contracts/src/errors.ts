import { z } from 'zod';

/**
 * Extra fields the server adds to every error's `data`, next to tRPC's own `code`.
 * `retryAfterSeconds` is set on TOO_MANY_REQUESTS so clients can say when to try again.
 */
export const errorDataSchema = z.object({
  code: z.string(),
  httpStatus: z.number().optional(),
  retryAfterSeconds: z.number().int().positive().nullable().optional(),
  /** Field-level messages for input validation errors, keyed by dotted path. */
  fieldErrors: z.record(z.string(), z.string()).nullable().optional(),
});
export type ErrorData = z.infer<typeof errorDataSchema>;
