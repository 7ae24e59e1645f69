import { EntitySchema, type Opt } from '@mikro-orm/sqlite';

/**
 * Someone the business knows: imported from its own systems (`npm run import:customers`).
 * A chat whose visitor proved this email address with a code may use this record — and only
 * this one — as the assistant's account context (domain/verification/customer-context.ts).
 */
export class Customer {
  id!: number;
  /** Lower-case; unique. */
  email!: string;
  name: string | null = null;
  /** The id in the shop's own system; unique when set. Imports match on it first. */
  externalId: string | null = null;
  /** String values only (plan, country, last order …). */
  metadata: Opt<Record<string, string>> = {};
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

export const CustomerSchema = new EntitySchema<Customer>({
  class: Customer,
  tableName: 'customer',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    email: { type: 'string', length: 320, unique: true },
    name: { type: 'string', length: 200, nullable: true },
    externalId: { type: 'string', length: 200, nullable: true, unique: true },
    metadata: { type: 'json' },
    createdAt: { type: 'Date', onCreate: () => new Date() },
    updatedAt: { type: 'Date', onCreate: () => new Date() },
  },
});
