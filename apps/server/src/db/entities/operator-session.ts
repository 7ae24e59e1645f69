import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import { Operator } from './operator.js';

/**
 * A signed-in console. The browser holds a random token in an httpOnly cookie; only its
 * SHA-256 hash is stored, so a copy of the database signs nobody in.
 */
export class OperatorSession {
  id!: number;
  tokenHash!: string;
  operator!: Operator;
  createdAt: Opt<Date> = new Date();
  /** Last request seen; the session ends after a quiet spell (idle expiry). */
  lastSeenAt: Opt<Date> = new Date();
  /** The session ends at this time however busy it is (absolute expiry). */
  expiresAt!: Date;
  clientAddress: string | null = null;
}

export const OperatorSessionSchema = new EntitySchema<OperatorSession>({
  class: OperatorSession,
  tableName: 'operator_session',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    tokenHash: { type: 'string', length: 64, unique: true },
    operator: { kind: 'm:1', entity: () => Operator, deleteRule: 'cascade' },
    createdAt: { type: 'Date' },
    lastSeenAt: { type: 'Date' },
    expiresAt: { type: 'Date' },
    clientAddress: { type: 'string', length: 64, nullable: true },
  },
});
