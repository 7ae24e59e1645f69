import type { EntityManager, MikroORM } from '@mikro-orm/sqlite';
import { z } from 'zod';
import { ChatSession, Message, SessionEvaluation } from '../../db/entities/index.js';
import type { LanguageModel } from '../../llm/model.js';
import type { Logger } from '../../lib/logger.js';
import type { Clock } from '../../lib/clock.js';
import type { EventBus } from '../../lib/events.js';
import { claimDue } from '../../db/claims.js';

/** Sessions scoring under this (0–100) wait in the review queue. */
export const REVIEW_THRESHOLD = 70;

/** The facts of a chat the evaluation works from. */
export interface ChatFacts {
  messages: Array<Pick<Message, 'author' | 'kind' | 'body' | 'rating' | 'offerStatus' | 'interrupted' | 'safetyVerdict'>>;
}

export interface Scores {
  accuracy: number;
  completeness: number;
  resolution: number;
  hallucination: boolean;
  circular: boolean;
  questionType: string | null;
}

const clamp = (n: number) => Math.max(0, Math.min(100, Math.round(n)));
const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** The assistant said (nearly) the same thing twice: word-trigram overlap of two replies. */
export function isCircular(replies: string[]): boolean {
  const grams = replies.map((reply) => {
    const w = words(reply);
    const set = new Set<string>();
    for (let i = 0; i + 2 < w.length; i++) set.add(`${w[i]} ${w[i + 1]} ${w[i + 2]}`);
    if (w.length > 0 && w.length < 3) set.add(w.join(' '));
    return set;
  });
  for (let i = 0; i < grams.length; i++) {
    for (let j = i + 1; j < grams.length; j++) {
      const a = grams[i]!;
      const b = grams[j]!;
      if (a.size === 0 || b.size === 0) continue;
      let shared = 0;
      for (const g of a) if (b.has(g)) shared++;
      if (shared / Math.min(a.size, b.size) >= 0.8) return true;
    }
  }
  return false;
}

const THANKS = /\b(thanks|thank you|thx|great|perfect|that helps|solved|works now|merci|danke|gracias)\b/i;
const STILL_STUCK = /\b(doesn'?t (help|work)|not (helpful|working)|still|useless|wrong|that'?s not)\b/i;

/** Scores without a model: from ratings, offers, failures and the visitor's last words. */
export function heuristicScores(facts: ChatFacts): Scores {
  const visitor = facts.messages.filter((m) => m.author === 'visitor');
  const answers = facts.messages.filter((m) => m.author === 'ai' && m.kind === 'text');
  const down = answers.filter((m) => m.rating === 'down').length;
  const up = answers.filter((m) => m.rating === 'up').length;
  const unavailable = facts.messages.filter((m) => m.kind === 'escalation_offer' && m.safetyVerdict?.modelFailure).length;
  const interrupted = answers.filter((m) => m.interrupted).length;
  const suppressed = facts.messages.filter((m) => m.kind === 'suppressed');

  // A closing "thanks!" is not a question that needed an answer.
  const questions = visitor.filter((m) => !(THANKS.test(m.body) && m.body.length < 60)).length;
  const answered = questions === 0 ? 1 : Math.min(1, answers.length / questions);
  const completeness = clamp(answered * 100 - interrupted * 15 - unavailable * 20);
  const accuracy = clamp(85 - down * 35 + up * 10 - suppressed.length * 25);
  const lastVisitor = visitor.at(-1)?.body ?? '';
  const escalated = facts.messages.some((m) => m.kind === 'escalation_offer' && m.offerStatus === 'accepted');
  let resolution = 60;
  if (THANKS.test(lastVisitor) && !STILL_STUCK.test(lastVisitor)) resolution = 95;
  else if (STILL_STUCK.test(lastVisitor)) resolution = 25;
  if (escalated) resolution = Math.max(resolution, 70); // handed to people: not a failure
  if (down > 0) resolution = Math.min(resolution, 40);

  return {
    accuracy,
    completeness,
    resolution: clamp(resolution),
    hallucination: suppressed.some((m) => m.safetyVerdict?.rules?.includes('ungrounded_fact')),
    circular: isCircular(answers.map((m) => m.body)),
    questionType: null,
  };
}

/** One number for the list: the three scores weighted, less penalties for the flags. */
export function compositeScore(scores: Scores): number {
  const base = 0.4 * scores.accuracy + 0.3 * scores.completeness + 0.3 * scores.resolution;
  return clamp(base - (scores.hallucination ? 25 : 0) - (scores.circular ? 15 : 0));
}

const QUESTION_TYPES = ['order_status', 'shipping', 'returns_refunds', 'billing', 'account', 'product', 'technical', 'complaint', 'other'] as const;

export const EVALUATION_FORMAT = {
  type: 'object',
  properties: {
    accuracy: { type: 'integer', minimum: 0, maximum: 100 },
    completeness: { type: 'integer', minimum: 0, maximum: 100 },
    resolution: { type: 'integer', minimum: 0, maximum: 100 },
    hallucination: { type: 'boolean' },
    question_type: { type: 'string', enum: QUESTION_TYPES },
  },
  required: ['accuracy', 'completeness', 'resolution', 'hallucination', 'question_type'],
} as const;

const evaluationSchema = z.object({
  accuracy: z.number().min(0).max(100),
  completeness: z.number().min(0).max(100),
  resolution: z.number().min(0).max(100),
  hallucination: z.boolean(),
  question_type: z.enum(QUESTION_TYPES),
});

/** Asks the model to judge the chat; null when it cannot (down, or a malformed answer). */
export async function modelScores(model: LanguageModel, facts: ChatFacts, signal?: AbortSignal): Promise<Scores | null> {
  const transcript = facts.messages
    .filter((m) => m.kind !== 'suppressed')
    .map((m) => `${m.author === 'visitor' ? 'Visitor' : m.author === 'ai' ? 'Assistant' : 'System'}: ${m.body}`)
    .join('\n')
    .slice(-12_000);
  try {
    const raw = await model.chat({
      messages: [
        {
          role: 'system',
          content:
            "You review a finished support chat between a website visitor and an AI assistant. Score 0–100: accuracy (the assistant's statements are correct and supported), completeness (every question was addressed), resolution (the visitor's problem was solved or properly handed to a person). Set hallucination when the assistant stated facts it could not have known. Answer only with JSON following the schema.",
        },
        { role: 'user', content: transcript },
      ],
      format: EVALUATION_FORMAT as unknown as Record<string, unknown>,
      temperature: 0,
      signal,
    });
    const parsed = evaluationSchema.parse(JSON.parse(raw));
    const heuristic = heuristicScores(facts);
    return {
      accuracy: clamp(parsed.accuracy),
      completeness: clamp(parsed.completeness),
      resolution: clamp(parsed.resolution),
      hallucination: parsed.hallucination || heuristic.hallucination,
      circular: heuristic.circular,
      questionType: parsed.question_type,
    };
  } catch {
    return null;
  }
}

export interface QualityDeps {
  model: LanguageModel;
  clock: Clock;
  log: Logger;
  events?: EventBus;
}

/** Judges one chat session now and stores (replaces) its evaluation. */
export async function evaluateSession(em: EntityManager, deps: QualityDeps, session: ChatSession): Promise<SessionEvaluation> {
  const messages = await em.find(Message, { ticket: session.ticket }, { orderBy: { id: 'asc' }, limit: 500 });
  const facts: ChatFacts = { messages };
  const fromModel = await modelScores(deps.model, facts);
  const scores = fromModel ?? heuristicScores(facts);
  const negativeFeedback = messages.filter((m) => m.rating === 'down').length;
  const score = compositeScore(scores);
  const now = deps.clock.now();
  const values = {
    accuracy: scores.accuracy,
    completeness: scores.completeness,
    resolution: scores.resolution,
    score,
    hallucination: scores.hallucination,
    circular: scores.circular,
    questionType: scores.questionType,
    negativeFeedback,
    method: fromModel ? ('model' as const) : ('heuristic' as const),
    inReview: score < REVIEW_THRESHOLD || negativeFeedback > 0,
    reviewedAt: null,
    messageCount: messages.length,
    evaluatedAt: now,
  };
  let evaluation = await em.findOne(SessionEvaluation, { session });
  if (evaluation) Object.assign(evaluation, values);
  else evaluation = em.create(SessionEvaluation, { session, ...values });
  session.evaluationDueAt = null;
  await em.flush();
  deps.events?.emit('ticket.changed', { ticketId: session.ticket.id });
  return evaluation;
}

export interface QualitySchedulerOptions {
  /** How often due chats are looked for. */
  pollMs?: number;
  /** Other periodic housekeeping run at the start of each pass (retention). */
  chores?: SchedulerChore[];
  /** How long a claimed chat is this process's to judge; after a crash it is due again then. */
  leaseMs?: number;
}

export interface SchedulerChore {
  name: string;
  run(): Promise<unknown>;
}

/**
 * Evaluates each chat once it has gone quiet, and at once after a thumbs down. What is due
 * lives in the database (`chat_session.evaluation_due_at`, set by the chat in the same write
 * as each message), so a restart loses nothing: the first poll after boot picks up whatever
 * came due meanwhile. Each chat is claimed before it is judged (db/claims.ts), so several
 * processes on one database judge it once.
 */
export class QualityScheduler {
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly chores: SchedulerChore[];

  constructor(
    private readonly orm: MikroORM,
    private readonly deps: QualityDeps & { events: EventBus },
    options: QualitySchedulerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 60_000;
    this.chores = options.chores ?? [];
    this.leaseMs = options.leaseMs ?? 10 * 60_000;
  }

  start(): void {
    this.unsubscribe.push(
      this.deps.events.subscribe('message.rated', ({ sessionId, rating }) => {
        if (rating === 'down') void this.markDue(sessionId, 0).then(() => this.runDue());
      }),
    );
    this.timer = setInterval(() => void this.runDue(), this.pollMs);
    this.timer.unref();
    void this.runDue();
  }

  async stop(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Schedules a session's evaluation `delayMs` from now. */
  async markDue(sessionId: string, delayMs: number): Promise<void> {
    const dueAt = new Date(this.deps.clock.now().getTime() + delayMs);
    try {
      await this.orm.em.fork().nativeUpdate(ChatSession, { id: sessionId }, { evaluationDueAt: dueAt });
    } catch (error) {
      this.deps.log.error('could not schedule a quality evaluation', { session: sessionId, error: String(error) });
    }
  }

  /** Evaluates every session that is due; returns how many. One run at a time. */
  runDue(): Promise<number> {
    this.running ??= this.evaluateDue()
      .catch((error: unknown) => {
        // The database busy or gone for a moment: the next poll tries again. Never an
        // unhandled rejection, which would end the process.
        this.deps.log.error('quality evaluation pass failed', { error: String(error) });
        return 0;
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  private async evaluateDue(): Promise<number> {
    for (const chore of this.chores) {
      try {
        await chore.run();
      } catch (error) {
        this.deps.log.error(`${chore.name} failed`, { error: String(error) });
      }
    }
    const em = this.orm.em.fork();
    const now = this.deps.clock.now();
    // Claimed by pushing the due time past the lease; evaluateSession clears it when done.
    const ids = await claimDue(
      em,
      ChatSession,
      { evaluationDueAt: { $lte: now } },
      { evaluationDueAt: new Date(now.getTime() + this.leaseMs) },
      { orderBy: { evaluationDueAt: 'asc' }, limit: 50 },
    );
    const due = ids.length ? await em.find(ChatSession, { id: { $in: ids } }, { populate: ['ticket'] }) : [];
    for (const session of due) {
      try {
        await evaluateSession(em, this.deps, session);
      } catch (error) {
        this.deps.log.error('quality evaluation failed', { session: session.id, error: String(error) });
      }
    }
    return due.length;
  }
}
