import type { EntityManager } from '@mikro-orm/sqlite';
import { ChatSession, Lesson, Message, type LessonStatus, type Operator } from '../../db/entities/index.js';
import { databaseCaches } from '../../db/sql.js';
import type { LanguageModel } from '../../llm/model.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';

/** At most this many lessons go into one prompt, each at most this long. */
export const LESSONS_PER_PROMPT = 3;
export const MAX_LESSON_CHARS = 200;

export interface LessonDeps {
  clock: Clock;
  model: LanguageModel;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim().replace(/^["'“”-]+|["'“”]+$/g, '').trim();
  return line.length > MAX_LESSON_CHARS ? `${line.slice(0, MAX_LESSON_CHARS - 1)}…` : line;
}

/**
 * The lesson line for a correction: written by the model when it answers (one short
 * instruction), the operator's own words otherwise.
 */
export async function writeLesson(
  model: LanguageModel,
  input: { question: string | null; reply: string; correction: string | null },
): Promise<{ text: string; writtenBy: 'model' | 'operator' }> {
  try {
    const raw = await model.chat({
      messages: [
        {
          role: 'system',
          content:
            'A support team corrected an AI assistant. Write ONE short instruction (at most 25 words) the assistant should follow next time, in plain text, starting with a verb. No quotes, no preamble.',
        },
        {
          role: 'user',
          content: `Visitor asked: ${input.question ?? '(unknown)'}\nAssistant replied: ${input.reply}\nThe team says it should have said: ${input.correction ?? '(not given: the reply was wrong or unhelpful)'}`,
        },
      ],
      temperature: 0,
    });
    const line = oneLine(raw.split('\n').find((l) => l.trim()) ?? '');
    if (line.length >= 8) return { text: line, writtenBy: 'model' };
  } catch {
    // The model is down: the operator's words become the lesson.
  }
  if (input.correction?.trim()) return { text: oneLine(input.correction), writtenBy: 'operator' };
  const asked = input.question ? ` when asked "${oneLine(input.question).slice(0, 80)}"` : '';
  return { text: oneLine(`Do not answer${asked} like this: "${oneLine(input.reply).slice(0, 100)}"`), writtenBy: 'operator' };
}

/**
 * An operator flags one AI reply, optionally saying what it should have said. The reply is
 * never rewritten; the correction becomes a lesson waiting for review.
 */
export async function flagReply(
  em: EntityManager,
  deps: LessonDeps,
  operator: Operator,
  input: { messageId: number; correction?: string | null },
): Promise<Lesson> {
  // Held-back (suppressed) text never reached the visitor: there is no reply to correct.
  const message = await em.findOne(Message, { id: input.messageId, author: 'ai', kind: { $ne: 'suppressed' } }, { populate: ['replyTo'] });
  if (!message) throw new DomainError('NOT_FOUND', 'Only replies written by the assistant can be flagged.');
  const correction = input.correction?.trim() || null;
  const { text, writtenBy } = await writeLesson(deps.model, { question: message.replyTo?.body ?? null, reply: message.body, correction });
  const now = deps.clock.now();
  const lesson = em.create(Lesson, { message, flaggedBy: operator, correction, text, writtenBy, status: 'pending', createdAt: now, updatedAt: now });
  await em.flush();
  return lesson;
}

/**
 * Lessons for review and upkeep: those waiting for review first (oldest flag first, so the
 * queue is worked in order), then the approved and disabled ones, most recently changed first.
 */
export async function listLessons(em: EntityManager, filter: { status?: LessonStatus } = {}): Promise<Lesson[]> {
  const populate = ['message', 'message.replyTo', 'flaggedBy', 'reviewedBy'] as const;
  const pending =
    !filter.status || filter.status === 'pending'
      ? await em.find(Lesson, { status: 'pending' }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 200, populate })
      : [];
  const reviewed =
    filter.status === 'pending'
      ? []
      : await em.find(Lesson, filter.status ? { status: filter.status } : { status: { $ne: 'pending' } }, {
          orderBy: { updatedAt: 'desc', id: 'desc' },
          limit: 200,
          populate,
        });
  return [...pending, ...reviewed];
}

/** A lesson with what the console shows beside it: the chat its reply belongs to. */
export interface DescribedLesson {
  lesson: Lesson;
  /** The chat session of the flagged reply, when there is one. */
  sessionId: string | null;
}

/** Loads what the console shows with each lesson: its reply, the question, who flagged and reviewed it, the chat. */
export async function describeLessons(em: EntityManager, lessons: Lesson[]): Promise<DescribedLesson[]> {
  await em.populate(lessons, ['message', 'message.replyTo', 'flaggedBy', 'reviewedBy']);
  const sessions = await chatSessionsOfReplies(
    em,
    lessons.flatMap((lesson) => (lesson.message ? [lesson.message] : [])),
  );
  return lessons.map((lesson) => ({ lesson, sessionId: lesson.message ? (sessions.get(lesson.message.id) ?? null) : null }));
}

/** The chat session each flagged reply belongs to (message id → session id). */
async function chatSessionsOfReplies(em: EntityManager, messages: Message[]): Promise<Map<number, string>> {
  if (!messages.length) return new Map();
  const sessions = await em.find(ChatSession, { ticket: { $in: [...new Set(messages.map((m) => m.ticket.id))] } }, { fields: ['id', 'ticket'] });
  const sessionByTicket = new Map(sessions.map((s) => [s.ticket.id, s.id]));
  const result = new Map<number, string>();
  for (const message of messages) {
    const sessionId = sessionByTicket.get(message.ticket.id);
    if (sessionId) result.set(message.id, sessionId);
  }
  return result;
}

/** Lessons drawn from each of these messages (message id → lessons, oldest first). */
export async function lessonsOfReplies(em: EntityManager, messageIds: number[]): Promise<Map<number, Lesson[]>> {
  const result = new Map<number, Lesson[]>();
  if (!messageIds.length) return result;
  const lessons = await em.find(Lesson, { message: { $in: messageIds } }, { orderBy: { id: 'asc' } });
  for (const lesson of lessons) {
    const id = lesson.message!.id;
    result.set(id, [...(result.get(id) ?? []), lesson]);
  }
  return result;
}

/** Review and upkeep: approve, disable, or reword a lesson. */
export async function updateLesson(
  em: EntityManager,
  deps: Pick<LessonDeps, 'clock'>,
  operator: Operator,
  input: { id: number; text?: string; status?: LessonStatus },
): Promise<Lesson> {
  const lesson = await em.findOne(Lesson, { id: input.id });
  if (!lesson) throw new DomainError('NOT_FOUND', `Lesson #${input.id} does not exist.`);
  if (input.text !== undefined) {
    const text = oneLine(input.text);
    if (!text) throw new DomainError('BAD_REQUEST', 'A lesson needs some text.');
    lesson.text = text;
    lesson.writtenBy = 'operator';
  }
  if (input.status && input.status !== lesson.status) {
    lesson.status = input.status;
    lesson.reviewedBy = operator;
  }
  lesson.updatedAt = deps.clock.now();
  await em.flush();
  databaseCaches(em).invalidate(APPROVED_LESSONS_CACHE);
  return lesson;
}

export async function deleteLesson(em: EntityManager, id: number): Promise<void> {
  const lesson = await em.findOne(Lesson, { id });
  if (!lesson) throw new DomainError('NOT_FOUND', `Lesson #${id} does not exist.`);
  await em.removeAndFlush(lesson);
  databaseCaches(em).invalidate(APPROVED_LESSONS_CACHE);
}

const STOP = new Set(['about', 'after', 'again', 'always', 'answer', 'asked', 'before', 'customer', 'customers', 'could', 'does', 'from', 'have', 'like', 'never', 'should', 'tell', 'that', 'their', 'them', 'there', 'they', 'this', 'what', 'when', 'where', 'which', 'with', 'would', 'your']);

function words(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/\p{L}[\p{L}\p{N}]{3,}/gu) ?? []).map((w) => w.replace(/s$/, '')).filter((w) => !STOP.has(w)));
}

/** The cache of approved lessons, ready to match; changing or deleting a lesson invalidates it. */
export const APPROVED_LESSONS_CACHE = 'lessons:approved';
/** Until invalidations reach every server process, a review made through another one shows within this time. */
const APPROVED_LESSONS_MAX_AGE_MS = 60_000;

interface ApprovedLesson {
  text: string;
  /** The words of the lesson and of the question it was drawn from. */
  about: ReadonlySet<string>;
}

/** Approved lessons, newest first, with their words worked out once per change, not per message. */
function approvedLessons(em: EntityManager): Promise<readonly ApprovedLesson[]> {
  return databaseCaches(em).get(APPROVED_LESSONS_CACHE, async () => {
    const approved = await em.find(Lesson, { status: 'approved' }, { populate: ['message.replyTo'], limit: 500, orderBy: { id: 'desc' } });
    return approved.map((lesson) => ({ text: lesson.text, about: words(`${lesson.text} ${lesson.message?.replyTo?.body ?? ''}`) }));
  }, { maxAgeMs: APPROVED_LESSONS_MAX_AGE_MS });
}

/**
 * The approved lessons that bear on a visitor's message, most relevant first, at most
 * LESSONS_PER_PROMPT: relevance is the number of words a lesson (with the question it was
 * drawn from) shares with the message. A lesson sharing nothing stays out.
 */
export async function relevantLessons(em: EntityManager, message: string): Promise<string[]> {
  const approved = await approvedLessons(em);
  if (approved.length === 0) return [];
  const asked = words(message);
  return approved
    .map((lesson) => {
      let score = 0;
      for (const word of lesson.about) if (asked.has(word)) score++;
      return { text: lesson.text, score };
    })
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, LESSONS_PER_PROMPT)
    .map((entry) => entry.text);
}
