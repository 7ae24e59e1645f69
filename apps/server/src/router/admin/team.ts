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
      const { operator, generatedPassword } = await createOperator(ctx.em, ctx.services.clock, ctx.operator, input);
      ctx.services.events.emit('operator.changed', { operatorId: operator.id }); // a new free slot
      return { operator: toOperatorView(operator), generatedPassword };
    }),

  update: adminProcedure
    .input(operatorUpdateInputSchema)
    .output(operatorSchema)
    .mutation(async ({ ctx, input }) => {
      const operator = await updateOperator(ctx.em, ctx.operator, input);
      // Back from away or given more capacity: waiting tickets may be assigned now.
      ctx.services.events.emit('operator.changed', { operatorId: operator.id });
      return toOperatorView(operator);
    }),
});
