import { z } from 'zod';
import { multiLineText, singleLineText } from '../text.js';

/*
 * Correcting the AI: an operator flags one AI reply (optionally saying what it should have
 * said); the correction becomes a one-line lesson that waits for review. Approved lessons
 * enter later prompts. Replies already sent are never rewritten.
 */

export const lessonStatusSchema = z.enum(['pending', 'approved', 'disabled']);
export type LessonStatusValue = z.infer<typeof lessonStatusSchema>;

/** Longest lesson line (the server keeps lessons to one short line). */
export const MAX_LESSON_LENGTH = 200;

export const lessonFlagInputSchema = z.object({
  messageId: z.number().int().positive(),
  /** What the reply should have said, in the operator's words. */
  correction: multiLineText(
    z.string().trim().max(2000, 'Keep the correction under 2,000 characters.'),
  ).optional(),
});
export type LessonFlagInput = z.input<typeof lessonFlagInputSchema>;

const operatorRefSchema = z.object({ id: z.number().int().positive(), name: z.string() });

export const lessonSchema = z.object({
  id: z.number().int().positive(),
  /** The line the assistant follows once approved. */
  text: z.string(),
  /** Who wrote the line: the model (from the correction) or an operator. */
  writtenBy: z.enum(['model', 'operator']),
  status: lessonStatusSchema,
  /** The operator's own words, when they gave any. */
  correction: z.string().nullable(),
  /** The flagged reply, as it was sent (null once its chat is gone). */
  reply: z
    .object({
      messageId: z.number().int().positive(),
      body: z.string(),
      /** The visitor message it answered. */
      question: z.string().nullable(),
      /** The chat it is in, for a link to its history. */
      sessionId: z.string().nullable(),
    })
    .nullable(),
  flaggedBy: operatorRefSchema.nullable(),
  reviewedBy: operatorRefSchema.nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type LessonView = z.infer<typeof lessonSchema>;

export const lessonListInputSchema = z
  .object({ status: lessonStatusSchema.optional() })
  .default({});

export const lessonListOutputSchema = z.object({
  /** Waiting for review first, then the rest, most recently changed first. */
  items: z.array(lessonSchema),
});

export const lessonUpdateInputSchema = z
  .object({
    id: z.number().int().positive(),
    text: singleLineText(
      z
        .string()
        .trim()
        .min(1, 'A lesson needs some text.')
        .max(
          MAX_LESSON_LENGTH,
          `Keep a lesson to one line of at most ${MAX_LESSON_LENGTH} characters.`,
        ),
    ).optional(),
    status: lessonStatusSchema.optional(),
  })
  .refine((input) => input.text !== undefined || input.status !== undefined, {
    message: 'Say what to change: the text or the status.',
  });
export type LessonUpdateInput = z.input<typeof lessonUpdateInputSchema>;

export const lessonIdInputSchema = z.object({ id: z.number().int().positive() });
