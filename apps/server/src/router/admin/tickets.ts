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
import {
  assignTicket,
  listTickets,
  openTicketFromConsole,
  replyToTicket,
  setTicketStatus,
  ticketDetail,
  type TicketDetail as Detail,
} from '../../domain/tickets/tickets.js';
import { unreadAmong } from '../../domain/inbox/unread.js';
import { operatorProcedure, router } from '../trpc.js';
import { toAttachmentView } from './mail.js';
import { toOperatorMessage, toTicketSummary } from './mappers.js';

function toTicketDetail({ ticket, messages, chatSessionId }: Detail): TicketDetail {
  return {
    ...toTicketSummary(ticket),
    aiSummary: ticket.aiSummary,
    chatSessionId,
    messages: messages.map(({ message, outbox, attachments }) => ({
      ...toOperatorMessage(message, outbox),
      ...(message.author === 'customer' ? { attachments: attachments.map(toAttachmentView) } : {}),
    })),
  };
}

/** The email-ticket queue and the work on one ticket. */
export const ticketsRouter = router({
  list: operatorProcedure
    .input(ticketListInputSchema)
    .output(ticketListOutputSchema)
    .query(async ({ ctx, input }) => {
      const { items, nextCursor } = await listTickets(ctx.em, ctx.operator, input);
      const unread = await unreadAmong(ctx.em, ctx.services, ctx.operator, items);
      return { items: items.map((ticket) => toTicketSummary(ticket, unread.has(ticket.id))), nextCursor };
    }),

  get: operatorProcedure
    .input(ticketIdInputSchema)
    .output(ticketDetailSchema)
    .query(async ({ ctx, input }) => toTicketDetail(await ticketDetail(ctx.em, input.id))),

  /** A new email ticket, optionally following up on a chat (linked both ways). */
  create: operatorProcedure
    .input(ticketCreateInputSchema)
    .output(ticketSummarySchema)
    .mutation(async ({ ctx, input }) => toTicketSummary(await openTicketFromConsole(ctx.em, ctx.services, ctx.operator, input))),

  /** Mails the requester through the outbox and stores the reply on the ticket. */
  reply: operatorProcedure
    .input(ticketReplyInputSchema)
    .output(ticketDetailSchema)
    .mutation(async ({ ctx, input }) => {
      await replyToTicket(ctx.em, ctx.services, ctx.operator, input);
      return toTicketDetail(await ticketDetail(ctx.em, input.id));
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
