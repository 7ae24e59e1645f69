import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import { ChatSession } from './chat-session.js';

/**
 * How well a chat session went, judged once it has gone quiet (or at once after a thumbs
 * down). One row per session, replaced by each new evaluation.
 */
export class SessionEvaluation {
  id!: number;
  session!: ChatSession;
  /** 0–100 each. */
  accuracy!: number;
  completeness!: number;
  resolution!: number;
  /** Weighted from the three above, less penalties for the flags. */
  score!: number;
  /** Claims not supported by the knowledge base or the verified context. */
  hallucination: Opt<boolean> = false;
  /** The assistant repeated itself. */
  circular: Opt<boolean> = false;
  questionType: string | null = null;
  negativeFeedback: Opt<number> = 0;
  /** `model` when the model judged it; `heuristic` when it could not. */
  method!: 'model' | 'heuristic';
  /** Waiting for an operator to look (score under 70 %, or any negative feedback). */
  inReview: Opt<boolean> = false;
  reviewedAt: Date | null = null;
  /** Messages in the session when it was judged: a later message makes it due again. */
  messageCount!: number;
  evaluatedAt!: Date;
}

export const SessionEvaluationSchema = new EntitySchema<SessionEvaluation>({
  class: SessionEvaluation,
  tableName: 'session_evaluation',
  indexes: [{ properties: ['inReview', 'evaluatedAt'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    session: { kind: '1:1', entity: () => ChatSession, owner: true, unique: true, deleteRule: 'cascade' },
    accuracy: { type: 'integer' },
    completeness: { type: 'integer' },
    resolution: { type: 'integer' },
    score: { type: 'integer' },
    hallucination: { type: 'boolean' },
    circular: { type: 'boolean' },
    questionType: { type: 'string', length: 40, nullable: true },
    negativeFeedback: { type: 'integer' },
    method: { enum: true, items: () => ['model', 'heuristic'] },
    inReview: { type: 'boolean' },
    reviewedAt: { type: 'Date', nullable: true },
    messageCount: { type: 'integer' },
    evaluatedAt: { type: 'Date' },
  },
});
