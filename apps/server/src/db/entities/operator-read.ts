import { EntitySchema } from '@mikro-orm/sqlite';
import { Operator } from './operator.js';
import { Ticket } from './ticket.js';

/**
 * How far one operator has read one ticket (a chat's or an email one): messages after
 * `lastMessageId` are unread for them. No row: everything since the operator joined is unread.
 */
export class OperatorRead {
  id!: number;
  operator!: Operator;
  ticket!: Ticket;
  /** The newest message the operator had seen when they last opened the ticket (0: none). */
  lastMessageId!: number;
  readAt!: Date;
}

export const OperatorReadSchema = new EntitySchema<OperatorRead>({
  class: OperatorRead,
  tableName: 'operator_read',
  uniques: [{ properties: ['operator', 'ticket'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    operator: { kind: 'm:1', entity: () => Operator, deleteRule: 'cascade' },
    ticket: { kind: 'm:1', entity: () => Ticket, deleteRule: 'cascade' },
    lastMessageId: { type: 'integer' },
    readAt: { type: 'Date' },
  },
});
