import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import { Message } from './message.js';
import { Operator } from './operator.js';

export const LESSON_STATUSES = ['pending', 'approved', 'disabled'] as const;
export type LessonStatus = (typeof LESSON_STATUSES)[number];

/**
 * An operator's correction of one AI reply, and the one-line lesson drawn from it. Lessons
 * wait for review; approved ones enter later prompts. The reply itself is never rewritten.
 */
export class Lesson {
  id!: number;
  /** The flagged reply (null once that chat is deleted). */
  message: Message | null = null;
  flaggedBy: Operator | null = null;
  /** What the reply should have said, in the operator's words (optional). */
  correction: string | null = null;
  /** The lesson itself: one line the assistant follows. */
  text!: string;
  /** Who wrote the line: the model, or the operator's own words. */
  writtenBy!: 'model' | 'operator';
  status: Opt<LessonStatus> = 'pending';
  reviewedBy: Operator | null = null;
  createdAt!: Date;
  updatedAt!: Date;
}

export const LessonSchema = new EntitySchema<Lesson>({
  class: Lesson,
  tableName: 'lesson',
  indexes: [{ properties: ['status'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    message: { kind: 'm:1', entity: () => Message, nullable: true, deleteRule: 'set null' },
    flaggedBy: { kind: 'm:1', entity: () => Operator, nullable: true, deleteRule: 'set null' },
    correction: { type: 'text', nullable: true },
    text: { type: 'string', length: 300 },
    writtenBy: { enum: true, items: () => ['model', 'operator'] },
    status: { enum: true, items: () => [...LESSON_STATUSES] },
    reviewedBy: { kind: 'm:1', entity: () => Operator, nullable: true, deleteRule: 'set null' },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
});
