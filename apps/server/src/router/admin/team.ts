import {
  operatorCreateInputSchema,
  operatorCreateOutputSchema,
  operatorSchema,
  operatorUpdateInputSchema,
  teamMemberSchema,
} from '@ticket0/contracts';
import { z } from 'zod';
import { createOperator, listTeam, updateOperator } from '../../domain/operators/operators.js';
import { adminProcedure, operatorProcedure, router } from '../trpc.js';
import { toOperatorView } from './mappers.js';

/** Operators: everyone may see the team (to reassign); admins and owners manage it. */
export const teamRouter = router({
  list: operatorProcedure.output(z.array(teamMemberSchema)).query(async ({ ctx }) => {
    const team = await listTeam(ctx.em);
    return team.map(({ operator, openTickets }) => ({ ...toOperatorView(operator), openTickets }));
  }),

  create: adminProcedure
    .input(operatorCreateInputSchema)
    .output(operatorCreateOutputSchema)
    .mutation(async ({ ctx, input }) => {
      const { operator, generatedPassword } = await createOperator(ctx.em, ctx.services, ctx.operator, input);
      return { operator: toOperatorView(operator), generatedPassword };
    }),

  update: adminProcedure
    .input(operatorUpdateInputSchema)
    .output(operatorSchema)
    .mutation(async ({ ctx, input }) => {
      return toOperatorView(await updateOperator(ctx.em, ctx.services, ctx.operator, input));
    }),
});
