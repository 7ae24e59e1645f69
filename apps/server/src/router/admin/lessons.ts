import {
  lessonFlagInputSchema,
  lessonIdInputSchema,
  lessonListInputSchema,
  lessonListOutputSchema,
  lessonSchema,
  lessonUpdateInputSchema,
  type LessonView,
} from '@ticket0/contracts';
import { deleteLesson, describeLessons, flagReply, listLessons, updateLesson, type DescribedLesson } from '../../domain/quality/lessons.js';
import { adminProcedure, operatorProcedure, router } from '../trpc.js';

function toLessonView({ lesson, sessionId }: DescribedLesson): LessonView {
  return {
    id: lesson.id,
    text: lesson.text,
    writtenBy: lesson.writtenBy,
    status: lesson.status,
    correction: lesson.correction,
    reply: lesson.message
      ? { messageId: lesson.message.id, body: lesson.message.body, question: lesson.message.replyTo?.body ?? null, sessionId }
      : null,
    flaggedBy: lesson.flaggedBy ? { id: lesson.flaggedBy.id, name: lesson.flaggedBy.name } : null,
    reviewedBy: lesson.reviewedBy ? { id: lesson.reviewedBy.id, name: lesson.reviewedBy.name } : null,
    createdAt: lesson.createdAt,
    updatedAt: lesson.updatedAt,
  };
}

/**
 * Correcting the AI. Any operator may flag a reply and read the lessons; approving,
 * rewording, disabling and deleting change what the AI says, so they are for admins.
 */
export const lessonsRouter = router({
  /** Flags one AI reply; the correction becomes a lesson waiting for review. The reply stays as sent. */
  flag: operatorProcedure
    .input(lessonFlagInputSchema)
    .output(lessonSchema)
    .mutation(async ({ ctx, input }) => {
      const lesson = await flagReply(ctx.em, ctx.services, ctx.operator, input);
      return toLessonView((await describeLessons(ctx.em, [lesson]))[0]!);
    }),

  list: operatorProcedure
    .input(lessonListInputSchema)
    .output(lessonListOutputSchema)
    .query(async ({ ctx, input }) => ({ items: (await describeLessons(ctx.em, await listLessons(ctx.em, input))).map(toLessonView) })),

  /** Approve, disable, or reword a lesson. */
  update: adminProcedure
    .input(lessonUpdateInputSchema)
    .output(lessonSchema)
    .mutation(async ({ ctx, input }) => {
      const lesson = await updateLesson(ctx.em, ctx.services, ctx.operator, input);
      return toLessonView((await describeLessons(ctx.em, [lesson]))[0]!);
    }),

  delete: adminProcedure.input(lessonIdInputSchema).mutation(async ({ ctx, input }) => {
    await deleteLesson(ctx.em, input.id);
    return { ok: true as const };
  }),
});
