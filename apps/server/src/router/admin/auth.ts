import {
  availabilityInputSchema,
  changePasswordInputSchema,
  sessionOutputSchema,
  signInInputSchema,
} from '@ticket0/contracts';
import { setAvailability } from '../../domain/operators/operators.js';
import { consoleProcedure, operatorProcedure, publicProcedure, router } from '../trpc.js';
import { toOperatorView } from './mappers.js';

export const authRouter = router({
  /** Email + password → a session cookie (httpOnly, SameSite=Strict). */
  signIn: consoleProcedure
    .input(signInInputSchema)
    .output(sessionOutputSchema.unwrap())
    .mutation(async ({ ctx, input }) => {
      const { operator, token } = await ctx.services.auth.signIn(ctx.em, { ...input, clientAddress: ctx.clientAddress });
      ctx.setCookie(ctx.services.auth.sessionCookie(token));
      return { operator: toOperatorView(operator) };
    }),

  /** Who is signed in, or null: the console asks this on load. */
  session: publicProcedure.output(sessionOutputSchema).query(async ({ ctx }) => {
    const auth = await ctx.services.auth.authenticate(ctx.em, ctx.operatorToken);
    if (!auth && ctx.operatorToken) ctx.setCookie(ctx.services.auth.clearCookie());
    return auth ? { operator: toOperatorView(auth.operator) } : null;
  }),

  /** Ends this session and clears the cookie; harmless when already signed out. */
  signOut: consoleProcedure.mutation(async ({ ctx }) => {
    await ctx.services.auth.signOut(ctx.em, ctx.operatorToken);
    ctx.setCookie(ctx.services.auth.clearCookie());
    return { ok: true as const };
  }),

  /** Needs the current password; signs out every other session. */
  changePassword: operatorProcedure.input(changePasswordInputSchema).mutation(async ({ ctx, input }) => {
    await ctx.services.auth.changePassword(ctx.em, { operator: ctx.operator, session: ctx.operatorSession }, input);
    return { ok: true as const };
  }),

  /** Available / away, for the signed-in operator. */
  setAvailability: operatorProcedure.input(availabilityInputSchema).mutation(async ({ ctx, input }) => {
    return toOperatorView(await setAvailability(ctx.em, ctx.services, ctx.operator, input));
  }),
});
