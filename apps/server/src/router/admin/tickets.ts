import {
  ticketAssignInputSchema,
  ticketCreateInputSchema,
  ticketDetailSchema,
  ticketIdInputSchema,
  ticketListInputSchema,
  ticketListOutputSchema,
  ticketReplyInputSchema,
  ticketStatusInputSchema,
  ticketSummarySchema,
  type TicketDetail,
} from '@ticket0/contracts';
import type { EntityManager } from '@mikro-orm/sqlite';
import { ChatSession, type Ticket } from '../../db/entities/index.js';
import { DomainError } from '../../lib/errors.js';
import {
  assignTicket,
  chatSessionOf,
  createEmailTicket,
  findEmailTicket,
  listTickets,
  replyToTicket,
  setTicketStatus,
  ticketMessages,
} from '../../domain/tickets/tickets.js';
import { operatorProcedure, router } from '../trpc.js';
import { toOperatorMessage, toTicketSummary } from './mappers.js';

async function detail(em: EntityManager, ticket: Ticket): Promise<TicketDetail> {
  const [messages, session] = await Promise.all([ticketMessages(em, ticket), chatSessionOf(em, ticket)]);
  return {
    ...toTicketSummary(ticket),
    aiSummary: ticket.aiSummary,
    chatSessionId: session?.id ?? null,
    messages: messages.map(({ message, outbox }) => toOperatorMessage(message, outbox)),
  };
}

/** The email-ticket queue and the work on one ticket. */
export const ticketsRouter = router({
  list: operatorProcedure
    .input(ticketListInputSchema)
    .output(ticketListOutputSchema)
    .query(async ({ ctx, input }) => {
      const { items, nextCursor } = await listTickets(ctx.em, ctx.operator, input);
      return { items: items.map(toTicketSummary), nextCursor };
    }),

  get: operatorProcedure
    .input(ticketIdInputSchema)
    .output(ticketDetailSchema)
    .query(async ({ ctx, input }) => detail(ctx.em, await findEmailTicket(ctx.em, input.id))),

  /** A new email ticket, optionally following up on a chat (linked both ways). */
  create: operatorProcedure
    .input(ticketCreateInputSchema)
    .output(ticketSummarySchema)
    .mutation(async ({ ctx, input }) => {
      let chatTicket: Ticket | null = null;
      if (input.chatSessionId) {
        const session = await ctx.em.findOne(ChatSession, { id: input.chatSessionId }, { populate: ['ticket'] });
        if (!session) throw new DomainError('NOT_FOUND', 'This chat does not exist.');
        chatTicket = session.ticket;
      }
      const ticket = await createEmailTicket(ctx.em, ctx.services, {
        subject: input.subject,
        requesterEmail: input.requesterEmail,
        aiSummary: input.summary || null,
        ...(input.priority ? { priority: input.priority } : {}),
        ...(input.tags ? { tags: input.tags } : {}),
        chatTicket,
        assignee: ctx.operator,
      });
      return toTicketSummary(ticket);
    }),

  /** Mails the requester through the outbox and stores the reply on the ticket. */
  reply: operatorProcedure
    .input(ticketReplyInputSchema)
    .output(ticketDetailSchema)
    .mutation(async ({ ctx, input }) => {
      await replyToTicket(ctx.em, ctx.services, ctx.operator, input);
      return detail(ctx.em, await findEmailTicket(ctx.em, input.id));
    }),

  setStatus: operatorProcedure
    .input(ticketStatusInputSchema)
    .output(ticketSummarySchema)
    .mutation(async ({ ctx, input }) => toTicketSummary(await setTicketStatus(ctx.em, ctx.services, input))),

  assign: operatorProcedure
    .input(ticketAssignInputSchema)
    .output(ticketSummarySchema)
    .mutation(async ({ ctx, input }) => toTicketSummary(await assignTicket(ctx.em, ctx.services, input))),
});
