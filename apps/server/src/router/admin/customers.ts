import {
  customerDetailSchema,
  customerEraseOutputSchema,
  customerExportSchema,
  customerIdInputSchema,
  customerListInputSchema,
  customerListOutputSchema,
  type CustomerView,
} from '@ticket0/contracts';
import type { Customer } from '../../db/entities/index.js';
import { customerDetail, listCustomers } from '../../domain/customers/customers.js';
import { chatsVerifiedAs } from '../../domain/chat/chat-list.js';
import { pick } from '../mappers.js';
import { eraseCustomer } from '../../domain/privacy/erase.js';
import { exportCustomer } from '../../domain/privacy/export.js';
import { adminProcedure, operatorProcedure, router } from '../trpc.js';

function toCustomerView(customer: Customer): CustomerView {
  return { ...pick(customer, ['id', 'email', 'name', 'externalId', 'createdAt', 'updatedAt']), metadata: { ...customer.metadata } };
}

/** Customer records: who they are, their email tickets, and the chats verified as them. */
export const customersRouter = router({
  list: operatorProcedure
    .input(customerListInputSchema)
    .output(customerListOutputSchema)
    .query(async ({ ctx, input }) => {
      const { items, nextCursor } = await listCustomers(ctx.em, input);
      return { items: items.map(toCustomerView), nextCursor };
    }),

  get: operatorProcedure
    .input(customerIdInputSchema)
    .output(customerDetailSchema)
    .query(async ({ ctx, input }) => {
      const { customer, tickets } = await customerDetail(ctx.em, input.id);
      const chats = await chatsVerifiedAs(ctx.em, customer.email);
      return {
        ...toCustomerView(customer),
        tickets,
        chats: chats.map((session) => ({
          sessionId: session.id,
          subject: session.ticket.subject,
          verifiedAt: session.verifiedAt,
          lastActivityAt: session.lastActivityAt,
        })),
      };
    }),

  /** Everything held about the customer, for a data-access request. Admins only; audited. */
  export: adminProcedure
    .input(customerIdInputSchema)
    .output(customerExportSchema)
    .mutation(({ ctx, input }) => exportCustomer(ctx.em, ctx.services, ctx.operator, input.id)),

  /** Deletes the customer and everything about them, for good. Admins only; audited. */
  erase: adminProcedure
    .input(customerIdInputSchema)
    .output(customerEraseOutputSchema)
    .mutation(({ ctx, input }) => eraseCustomer(ctx.em, ctx.services, ctx.operator, input.id)),
});
