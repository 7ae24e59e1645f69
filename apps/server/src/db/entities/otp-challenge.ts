import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import { ChatSession } from './chat-session.js';

/**
 * One verification code sent to an email address for a chat session. Only a salted scrypt
 * hash of the code is stored (see domain/verification/verification.ts). A session has at most one live challenge:
 * a new request marks the previous one replaced. Rows stay for a day so the request
 * throttles (per session, per email, per client address) can count them.
 */
export class OtpChallenge {
  /** `otp_` + 22 url-safe characters; part of what the code's hash is bound to. */
  id!: string;
  session!: ChatSession;
  /** Lower-case. */
  email!: string;
  /** Hex scrypt of the code, bound to this id and email, with `salt`. */
  codeHash!: string;
  /** Hex, random per challenge. */
  salt!: string;
  clientAddress: string | null = null;
  /** Wrong (and right) codes tried so far. */
  attempts: Opt<number> = 0;
  expiresAt!: Date;
  /** Set when the right code was entered; a consumed code never works again. */
  consumedAt: Date | null = null;
  /** Set when a newer code was requested for the same session. */
  replacedAt: Date | null = null;
  createdAt: Opt<Date> = new Date();
}

export const OtpChallengeSchema = new EntitySchema<OtpChallenge>({
  class: OtpChallenge,
  tableName: 'otp_challenge',
  indexes: [
    { properties: ['session', 'createdAt'] },
    { properties: ['email', 'createdAt'] },
    { properties: ['clientAddress', 'createdAt'] },
    { properties: ['createdAt'] },
  ],
  properties: {
    id: { type: 'string', length: 26, primary: true },
    session: { kind: 'm:1', entity: () => ChatSession, deleteRule: 'cascade' },
    email: { type: 'string', length: 320 },
    codeHash: { type: 'string', length: 64 },
    salt: { type: 'string', length: 32 },
    clientAddress: { type: 'string', length: 64, nullable: true },
    attempts: { type: 'integer' },
    expiresAt: { type: 'Date' },
    consumedAt: { type: 'Date', nullable: true },
    replacedAt: { type: 'Date', nullable: true },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});
