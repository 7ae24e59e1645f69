import { JSONParser } from '@streamparser/json';
import { ESCALATION_REASONS, type EscalationReason } from '@ticket0/contracts';
import { z } from 'zod';
import { ModelUnavailableError } from '../../llm/model.js';

/** Below this confidence (0–100) the assistant does not answer on its own. */
export const CONFIDENCE_FLOOR = 60;

/** Reasons the model may give; the others are decided by the server itself. */
const MODEL_REASONS = ESCALATION_REASONS.filter((r) => r !== 'ai_unavailable' && r !== 'unsafe_output');

/**
 * The one structured answer the model gives per visitor message: its judgement first, then
 * the answer. Every field is required so that servers which turn the schema into a grammar
 * (llama.cpp, Ollama) write them in this order — optional fields would come last, after the
 * answer — and so the judgement is known before the first word of the answer.
 */
export const REPLY_FORMAT = {
  title: 'reply',
  type: 'object',
  properties: {
    can_answer: { type: 'boolean', description: 'The information given is enough to answer the latest message correctly.' },
    confidence: { type: 'integer', minimum: 0, maximum: 100 },
    needs_human: { type: 'boolean', description: 'Only a person on the support team can handle this.' },
    reason: { type: 'string', enum: [...MODEL_REASONS, 'none'] },
    answer: { type: 'string', description: 'The reply to the visitor, in plain text.' },
  },
  required: ['can_answer', 'confidence', 'needs_human', 'reason', 'answer'],
} as const;

/** The judgement fields; `reason` may be missing or "none" and still count. */
const judgementSchema = z.object({
  can_answer: z.boolean(),
  confidence: z.number().min(0).max(100),
  needs_human: z.boolean(),
  reason: z.enum(MODEL_REASONS as [EscalationReason, ...EscalationReason[]]).optional().catch(undefined),
});

export type Judgement =
  | { verdict: 'answer'; confidence: number }
  | { verdict: 'escalate'; reason: EscalationReason; confidence: number };

/** A judgement that is missing or malformed is not a reason to stop helping (the reply is still checked). */
const MISSING: Judgement = { verdict: 'answer', confidence: CONFIDENCE_FLOOR };

/** What the judgement fields mean: answer, or hand over to a person and why. */
export function verdictOf(fields: Record<string, unknown>): Judgement | null {
  const parsed = judgementSchema.safeParse(fields);
  if (!parsed.success) return null;
  const confidence = Math.round(parsed.data.confidence);
  if (parsed.data.needs_human) return { verdict: 'escalate', reason: parsed.data.reason ?? 'ai_uncertain', confidence };
  if (!parsed.data.can_answer || confidence < CONFIDENCE_FLOOR) return { verdict: 'escalate', reason: 'ai_uncertain', confidence };
  return { verdict: 'answer', confidence };
}

/**
 * Reads the model's structured reply as it streams: the judgement fields as soon as each is
 * complete, and the answer's text as it grows, by way of an incremental JSON parser (partial
 * strings included; escapes and characters split between pieces are handled by it).
 *
 * - The verdict is known once the judgement fields are in and the answer begins (or the
 *   reason, which comes just before it); with the fields in another order, at the end.
 * - A model that ignores the format and writes plain text: its text is the answer, and the
 *   missing judgement counts as "answer" at the confidence floor. So does a malformed one.
 * - JSON that breaks off: the answer so far is kept; the rest is not read.
 */
export class ReplyReader {
  private mode: 'start' | 'json' | 'text' | 'done' = 'start';
  /** What came before we knew whether this is JSON (white space, a code fence). */
  private lead = '';
  private readonly fields: Record<string, unknown> = {};
  private answerStarted = false;
  private answerLength = 0;
  /** Answer text read but not yet handed out. */
  private pending = '';
  private judged: Judgement | null = null;
  private readonly parser = new JSONParser({ emitPartialTokens: true, emitPartialValues: true, paths: ['$.*'], keepStack: false });

  constructor() {
    this.parser.onValue = ({ value, key, partial }) => {
      if (typeof key !== 'string') return;
      if (key === 'answer') {
        this.answerStarted = true;
        if (typeof value === 'string') {
          this.pending += value.slice(this.answerLength);
          this.answerLength = value.length;
        }
      } else if (!partial) {
        this.fields[key] = value;
      }
      this.judge(false);
    };
    this.parser.onEnd = () => this.finish();
    this.parser.onError = () => this.finish();
  }

  /** The judgement, once known; null while it is still to come. */
  get verdict(): Judgement | null {
    return this.judged;
  }

  /** Reads the next piece of output; returns the answer text it completed. */
  push(piece: string): string {
    if (this.mode === 'start') {
      this.lead += piece;
      const start = this.lead.search(/\S/);
      if (start < 0) return '';
      let rest = this.lead.slice(start);
      if (rest.startsWith('`')) {
        // A code fence around the JSON (```json): skip its first line once it is complete.
        if (rest.length < 3 || (rest.startsWith('```') && !rest.includes('\n'))) return '';
        if (rest.startsWith('```')) {
          this.lead = rest.slice(rest.indexOf('\n') + 1);
          return this.push('');
        }
      }
      if (rest.startsWith('{')) {
        this.mode = 'json';
        this.lead = '';
        piece = rest;
      } else {
        this.mode = 'text';
        this.judged = MISSING;
        rest = this.lead;
        this.lead = '';
        return rest;
      }
    }
    if (this.mode === 'text') return piece;
    if (this.mode === 'json' && piece) {
      try {
        this.parser.write(piece);
      } catch {
        this.finish(); // broken JSON: what was read stands
      }
    }
    return this.take();
  }

  /** The model has finished: settles the verdict; returns the answer text still unread. */
  end(): string {
    if (this.mode === 'start') {
      const rest = this.lead;
      this.lead = '';
      if (rest.trim()) this.mode = 'text';
      this.judged ??= MISSING;
      return rest;
    }
    this.finish();
    return this.take();
  }

  private take(): string {
    const text = this.pending;
    this.pending = '';
    return text;
  }

  private finish(): void {
    if (this.mode === 'json') this.mode = 'done';
    this.judge(true);
  }

  /**
   * Decides as soon as nothing that could change the judgement is still to come: the
   * judgement fields are in (well-formed or not) and the reason or the answer has begun; or
   * at the end, with whatever arrived. Fields still missing when the answer begins may follow
   * it (a model that ignores the order), so the verdict then waits for the end.
   */
  private judge(final: boolean): void {
    if (this.judged) return;
    const complete = JUDGEMENT_KEYS.every((key) => key in this.fields);
    if (!final && !(complete && (this.answerStarted || 'reason' in this.fields))) return;
    this.judged = verdictOf(this.fields) ?? MISSING;
  }
}

const JUDGEMENT_KEYS = ['can_answer', 'confidence', 'needs_human'] as const;

/** Any error of a model call, as the failure the reply records. */
export function asModelFailure(error: unknown): ModelUnavailableError {
  return error instanceof ModelUnavailableError ? error : new ModelUnavailableError('error', String(error), { cause: error });
}
