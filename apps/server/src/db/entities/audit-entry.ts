import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import { Operator } from './operator.js';

export const AUDIT_ACTIONS = ['customer_exported', 'customer_erased', 'conversation_deleted', 'retention_deleted', 'identity_refused'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * What was done with a customer's data, and refused identities, for operators to review.
 * Once a customer is erased their entries keep only the action, who did it and when.
 */
export class AuditEntry {
  id!: number;
  action!: AuditAction;
  /** Who did it; null for a visitor, the scheduler, or an operator since removed. */
  operator: Operator | null = null;
  /** The customer concerned; cleared when they are erased (a plain number, no foreign key). */
  customerId: number | null = null;
  /** Whom or what it concerned (an email, a chat id); cleared when the customer is erased. */
  subject: string | null = null;
  /** A short sentence: why an identity was refused, how many chats were deleted. */
  detail: string | null = null;
  createdAt: Opt<Date> = new Date();
}

export const AuditEntrySchema = new EntitySchema<AuditEntry>({
  class: AuditEntry,
  tableName: 'audit_entry',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    action: { enum: true, items: () => [...AUDIT_ACTIONS] },
    operator: { kind: 'm:1', entity: () => Operator, nullable: true, deleteRule: 'set null' },
    customerId: { type: 'integer', nullable: true, index: true },
    subject: { type: 'text', nullable: true },
    detail: { type: 'text', nullable: true },
    createdAt: { type: 'Date', index: true, onCreate: () => new Date() },
  },
});
