import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import { Ticket } from './ticket.js';

/**
 * One visitor's conversation in the widget. The widget holds a secret visitor token; only
 * its SHA-256 hash is stored here.
 */
export class ChatSession {
  /** Public id, `cs_` + 22 url-safe characters. */
  id!: string;
  tokenHash!: string;
  origin: string | null = null;
  locale: string | null = null;
  clientAddress: string | null = null;
  verifiedEmail: string | null = null;
  verifiedAt: Date | null = null;
  ticket!: Ticket;
  createdAt: Opt<Date> = new Date();
  lastActivityAt: Opt<Date> = new Date();
  /** When quality monitoring should next judge this chat (null: nothing new to judge). */
  evaluationDueAt: Date | null = null;
  /** When the conversation was last mailed to the visitor (one mail a minute at most). */
  transcriptSentAt: Date | null = null;
}

export const ChatSessionSchema = new EntitySchema<ChatSession>({
  class: ChatSession,
  tableName: 'chat_session',
  indexes: [{ properties: ['lastActivityAt'] }],
  properties: {
    id: { type: 'string', length: 25, primary: true },
    tokenHash: { type: 'string', length: 64 },
    origin: { type: 'string', length: 255, nullable: true },
    locale: { type: 'string', length: 35, nullable: true },
    clientAddress: { type: 'string', length: 64, nullable: true },
    verifiedEmail: { type: 'string', length: 320, nullable: true, index: true },
    verifiedAt: { type: 'Date', nullable: true },
    ticket: { kind: '1:1', entity: () => Ticket, owner: true, unique: true },
    createdAt: { type: 'Date', onCreate: () => new Date() },
    lastActivityAt: { type: 'Date' },
    evaluationDueAt: { type: 'Date', nullable: true, index: true },
    transcriptSentAt: { type: 'Date', nullable: true },
  },
});
