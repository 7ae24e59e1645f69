import { describe, expect, it } from 'vitest';
import { clientMessageIdSchema, messageTextSchema, sendMessageEventSchema } from '../src/index.js';

describe('visitor message text', () => {
  it('is trimmed before it is stored', () => {
    expect(messageTextSchema.parse('  hello \n')).toBe('hello');
  });

  it('must say something', () => {
    const result = messageTextSchema.safeParse(' \n ');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Write a message before sending.');
  });

  it('may be 4,000 characters but not one more', () => {
    expect(messageTextSchema.safeParse('a'.repeat(4000)).success).toBe(true);
    expect(messageTextSchema.safeParse('a'.repeat(4001)).error?.issues[0]?.message).toBe('Messages can be at most 4,000 characters.');
  });
});

describe('client message ids', () => {
  it('accept uuids and url-safe ids only', () => {
    expect(clientMessageIdSchema.safeParse('3f2b8c1e-9a4d-4c3e-8f7a-0b1c2d3e4f5a').success).toBe(true);
    expect(clientMessageIdSchema.safeParse('short').success).toBe(false);
    expect(clientMessageIdSchema.safeParse('has space in it').success).toBe(false);
    expect(clientMessageIdSchema.safeParse('x'.repeat(65)).success).toBe(false);
  });
});

describe('send events', () => {
  it('are one of accepted, delta or done', () => {
    expect(sendMessageEventSchema.safeParse({ type: 'delta', text: 'Hi. ' }).success).toBe(true);
    expect(sendMessageEventSchema.safeParse({ type: 'html', text: '<b>' }).success).toBe(false);
  });
});
