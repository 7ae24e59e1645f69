export * from './ticket.js';
export * from './chat-session.js';
export * from './message.js';

import { ChatSessionSchema } from './chat-session.js';
import { MessageSchema } from './message.js';
import { TicketSchema } from './ticket.js';

export const entities = [TicketSchema, ChatSessionSchema, MessageSchema];
