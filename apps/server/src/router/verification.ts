import {
  confirmVerificationInputSchema,
  pendingVerificationSchema,
  requestVerificationInputSchema,
  verificationResultSchema,
  verificationStatusSchema,
} from '@ticket0/contracts';
import { confirmVerification, requestVerification, verificationStatus } from '../domain/verification/verification.js';
import { chatSessionProcedure, router } from './trpc.js';

/**
 * Email verification for the widget's visitor: a code by mail, then the code back. A
 * verified chat lets the assistant use that customer's own account data.
 */
export const verificationRouter = router({
  /**
   * Mails a 6-digit code to `email` (replacing any earlier code of this chat). The answer is
   * the same for every address. TOO_MANY_REQUESTS carries `retryAfterSeconds`.
   */
  request: chatSessionProcedure
    .input(requestVerificationInputSchema)
    .output(pendingVerificationSchema)
    .mutation(({ ctx, input }) =>
      requestVerification(ctx.em, ctx.services, ctx.session, { email: input.email, clientAddress: ctx.clientAddress }),
    ),

  /** Checks the code: right marks the chat verified; wrong says how many tries are left. */
  confirm: chatSessionProcedure
    .input(confirmVerificationInputSchema)
    .output(verificationResultSchema)
    .mutation(({ ctx, input }) => confirmVerification(ctx.em, ctx.services, ctx.session, input)),

  /** Verified or not, and the code waiting to be entered: what the widget shows. */
  status: chatSessionProcedure
    .output(verificationStatusSchema)
    .query(({ ctx }) => verificationStatus(ctx.em, ctx.services, ctx.session, { clientAddress: ctx.clientAddress })),
});
