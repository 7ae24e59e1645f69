import { z } from 'zod';
import { singleLineText } from '../text.js';
import { sessionIdSchema } from '../messages.js';
import { ticketStatusSchema } from './tickets.js';

/* The operator's inbox: unread state per operator, and one search across chats, tickets and customers. */

/** What the navigation and the tab title count for the signed-in operator. */
export const inboxCountsSchema = z.object({
  /** Chats with messages the operator has not seen. */
  chats: z.number().int().min(0),
  /** Email tickets they could work on (theirs or unassigned, not resolved or closed) with something unseen. */
  tickets: z.number().int().min(0),
});
export type InboxCounts = z.infer<typeof inboxCountsSchema>;

export const markReadInputSchema = z.object({
  ticketId: z.number().int().positive(),
  /** The newest message the console showed: what arrived after it stays unread. */
  upToMessageId: z.number().int().min(0),
});
export type MarkReadInput = z.infer<typeof markReadInputSchema>;

export const searchInputSchema = z.object({
  query: singleLineText(
    z.string().trim().min(2, 'Type at least 2 characters to search.').max(200, 'Search for at most 200 characters.'),
  ),
});
export type SearchInput = z.input<typeof searchInputSchema>;

export const searchResultsSchema = z.object({
  chats: z.array(
    z.object({
      sessionId: sessionIdSchema,
      subject: z.string(),
      /** Where the words were found: a message's text, shortened, or the visitor's email. */
      excerpt: z.string().nullable(),
      lastActivityAt: z.date(),
    }),
  ),
  tickets: z.array(
    z.object({
      id: z.number().int().positive(),
      subject: z.string(),
      status: ticketStatusSchema,
      requesterEmail: z.string().nullable(),
      excerpt: z.string().nullable(),
      updatedAt: z.date(),
    }),
  ),
  customers: z.array(
    z.object({
      id: z.number().int().positive(),
      email: z.string(),
      name: z.string().nullable(),
      externalId: z.string().nullable(),
    }),
  ),
});
export type SearchResults = z.infer<typeof searchResultsSchema>;
