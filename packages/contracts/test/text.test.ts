import { describe, expect, it } from 'vitest';
import {
  articleCreateInputSchema,
  BROKEN_TEXT_MESSAGE,
  CONTROL_CHARACTER_MESSAGE,
  LINE_BREAK_MESSAGE,
  messageTextSchema,
  operatorEmailSchema,
  rateMessageInputSchema,
} from '../src/index.js';

const firstMessage = (result: { error?: { issues: Array<{ message: string }> } }) => result.error?.issues[0]?.message;

describe('text people type', () => {
  it.each(['a\u0000b', 'bell\u0007', 'esc\u001b[31m', 'del\u007f', 'c1\u0085'])('refuses control characters in a message (%j)', (text) => {
    expect(firstMessage(messageTextSchema.safeParse(text))).toBe(CONTROL_CHARACTER_MESSAGE);
  });

  it('keeps line breaks and tabs in multi-line text', () => {
    expect(messageTextSchema.parse('first line\n\tsecond line\r\nthird')).toBe('first line\n\tsecond line\r\nthird');
  });

  it('refuses a broken UTF-16 half, which could not be stored as written', () => {
    expect(firstMessage(messageTextSchema.safeParse('half \ud800 a pair'))).toBe(BROKEN_TEXT_MESSAGE);
    expect(messageTextSchema.parse('a whole pair 😀')).toBe('a whole pair 😀');
  });

  it('refuses line breaks inside a single-line field, but not around it', () => {
    const title = (value: string) => articleCreateInputSchema.safeParse({ title: value, body: 'Body' });
    expect(firstMessage(title('Returns\nand refunds'))).toBe(LINE_BREAK_MESSAGE);
    expect(title('  Returns and refunds\n').success).toBe(true);
  });

  it('covers comments and addresses too', () => {
    expect(firstMessage(rateMessageInputSchema.safeParse({ messageId: 1, rating: 'down', comment: 'no\u0000' }))).toBe(CONTROL_CHARACTER_MESSAGE);
    expect(operatorEmailSchema.safeParse('ana\u0000@example.com').success).toBe(false);
  });
});
