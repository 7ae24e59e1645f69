import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import { ChatSession } from './chat-session.js';

/**
 * Another visitor token for a chat, given to a device where the same verified customer
 * continues it. Only the SHA-256 of the token is stored, as for the session's own token.
 */
export class ChatSessionKey {
  id!: number;
  session!: ChatSession;
  tokenHash!: string;
  createdAt: Opt<Date> = new Date();
}

export const ChatSessionKeySchema = new EntitySchema<ChatSessionKey>({
  class: ChatSessionKey,
  tableName: 'chat_session_key',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    session: { kind: 'm:1', entity: () => ChatSession, deleteRule: 'cascade' },
    tokenHash: { type: 'text', unique: true },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});
