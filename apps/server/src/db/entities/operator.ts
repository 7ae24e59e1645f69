import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import type { Availability, OperatorRole } from '@ticket0/contracts';

export const OPERATOR_ROLES = ['member', 'admin', 'owner'] as const;
export const AVAILABILITIES = ['available', 'away'] as const;

/** A person who works in the console. Only a scrypt hash of the password is stored. */
export class Operator {
  id!: number;
  /** Lower-case; unique. */
  email!: string;
  name!: string;
  /** `scrypt$N$r$p$salt$hash`, see domain/operators/auth.ts. */
  passwordHash!: string;
  role: Opt<OperatorRole> = 'member';
  availability: Opt<Availability> = 'available';
  /** Most open + pending tickets auto-assignment gives this operator; 0 = never. */
  capacity: Opt<number> = 5;
  joinedAt: Opt<Date> = new Date();
  /** Bumped when the password changes: sessions from before are no longer valid. */
  passwordChangedAt: Opt<Date> = new Date();
}

export const OperatorSchema = new EntitySchema<Operator>({
  class: Operator,
  tableName: 'operator',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    email: { type: 'string', length: 320, unique: true },
    name: { type: 'string', length: 100 },
    passwordHash: { type: 'string', length: 200 },
    role: { enum: true, items: () => [...OPERATOR_ROLES] },
    availability: { enum: true, items: () => [...AVAILABILITIES] },
    capacity: { type: 'integer' },
    joinedAt: { type: 'Date' },
    passwordChangedAt: { type: 'Date' },
  },
});
