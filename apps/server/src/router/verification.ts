import {
  confirmVerificationInputSchema,
  identifyInputSchema,
  pendingVerificationSchema,
  requestVerificationInputSchema,
  verificationResultSchema,
  verificationStatusSchema,
} from '@ticket0/contracts';
import { confirmVerification, requestVerification, verificationStatus } from '../domain/verification/verification.js';
import { identifyVisitor } from '../domain/verification/identity.js';
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

  /**
   * A signed identity from the host site (IDENTITY_SECRET): a good token verifies the chat
   * as a confirmed code does. Forged, expired, reused, or for another address than the chat
   * is verified as: UNAUTHORIZED, and the chat stays as it was.
   */
  identify: chatSessionProcedure
    .input(identifyInputSchema)
    .output(verificationResultSchema)
    .mutation(({ ctx, input }) =>
      identifyVisitor(ctx.em, ctx.services, ctx.session, { token: input.token, clientAddress: ctx.clientAddress }),
    ),

  /** Verified or not, and the code waiting to be entered: what the widget shows. */
  status: chatSessionProcedure
    .output(verificationStatusSchema)
    .query(({ ctx }) => verificationStatus(ctx.em, ctx.services, ctx.session, { clientAddress: ctx.clientAddress })),
});
